"""Synthetic support-measure texts for benchmarks and stress tests: `make_large_policy(n_articles)`.

The text reads like a district 若干措施: a title block, a preamble, 第X章 chapters every few
articles, 第X条 articles with captions (plain line, 【】 on the same line, or 【】 alone) and 3–5
items each carrying an amount, then a 附则 with three items. Layout details vary per article
(item brackets full/half width, \u3000 indentation, blank lines), all drawn from one seeded
`random.Random`, so a given (n_articles, seed) always yields the same text.
"""
from __future__ import annotations

import random

import cn2an

ARTICLES_PER_CHAPTER = 8
TOPICS = ["科技创新", "数字经济", "先进制造", "现代服务业", "文化科技", "绿色低碳", "金融科技", "生物医药"]
CAPTIONS = ["支持企业{}能力提升", "鼓励{}领域项目落地", "培育{}重点企业", "推动{}集聚发展", "优化{}发展环境"]
SUBJECTS = [
    "新认定的国家高新技术企业", "年度研发费用超过1000万元的企业", "新落户的总部企业",
    "获得市级及以上认定的创新平台", "首次入选专精特新“小巨人”的企业", "开展技术改造的规模以上工业企业",
    "承担国家重大科技专项的单位", "租用办公用房的初创企业", "参加境内外展会的企业", "获得银行贷款的中小微企业",
]
BASES = ["实际发生费用", "设备购置费用", "研发投入增量", "合同金额", "实际支付利息", "房屋租金"]
AMOUNTS = [10, 20, 30, 50, 100, 200, 300, 500, 1000]
PERCENTS = [10, 20, 30, 50]
TEMPLATES = [
    "对{subject}，给予不超过{amount}万元奖励。",
    "对{subject}，按照{base}的{pct}%给予补贴，最高不超过{amount}万元。",
    "对{subject}，按照市级资金1:{ratio}给予配套支持，年度支持金额不超过{amount}万元。",
    "对{subject}，一次性给予{amount}万元奖励。",
    "对{subject}，分别给予不超过{amount}万元、{half}万元支持。",
    "对{subject}，按照{base}的{pct}%给予补贴，单个企业每年最高不超过{amount}万元，补贴期限不超过3年。",
]
INTRO = "对符合条件的企业，按照以下标准给予支持："
SUPPLEMENTARY = [
    "本措施由区科委负责解释。",
    "企业同一项目、同一事项符合本区其他支持政策的，按照“从高、从优、不重复”的原则给予支持。",
    "本措施自印发之日起施行，有效期3年。",
]


def make_large_policy(n_articles: int, *, seed: int = 2024) -> str:
    """A policy text with `n_articles` 第X条 articles of 3–5 amount-bearing items each."""
    rng = random.Random(seed)
    lines = ["附件1", "北京市某区促进产业高质量发展若干措施", "（征求意见稿）", "",
             "为推动区域产业高质量发展，根据有关规定，结合本区实际，制定本措施。", ""]
    for number in range(1, n_articles + 1):
        if number % ARTICLES_PER_CHAPTER == 1:
            lines.append(_chapter_line(rng, number // ARTICLES_PER_CHAPTER + 1))
        lines += _article_lines(rng, number)
    lines += ["附　则"] + [f"（{_cn(i)}）{s}" for i, s in enumerate(SUPPLEMENTARY, 1)]
    return "\n".join(lines) + "\n"


def _cn(n: int) -> str:
    return cn2an.an2cn(n)


def _chapter_line(rng: random.Random, number: int) -> str:
    return f"第{_cn(number)}章　{rng.choice(TOPICS)}发展支持"


def _article_lines(rng: random.Random, number: int) -> list[str]:
    indent = rng.choice(["", "", "\u3000\u3000"])
    caption = rng.choice(CAPTIONS).format(rng.choice(TOPICS))
    items = [_item_line(rng, i) for i in range(1, rng.randint(3, 5) + 1)]
    label = f"第{_cn(number)}条"
    head = rng.choice([f"{label} {caption}", f"{label}【{caption}】", f"{label}【{caption}】{INTRO}"])
    body = [head] + items + ([""] if rng.random() < 0.3 else [])
    return [indent + line if line else line for line in body]


def _item_line(rng: random.Random, index: int) -> str:
    opening, closing = rng.choice([("（", "）"), ("（", "）"), ("(", ")")])
    return f"{opening}{_cn(index)}{closing}{_sentence(rng)}"


def _sentence(rng: random.Random) -> str:
    amount = rng.choice(AMOUNTS)
    return rng.choice(TEMPLATES).format(
        subject=rng.choice(SUBJECTS), amount=amount, half=max(amount // 2, 5),
        base=rng.choice(BASES), pct=rng.choice(PERCENTS), ratio=rng.choice(["1", "0.5"]),
    )
