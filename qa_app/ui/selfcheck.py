"""The enterprise's self-check in its own words: read a description (facts, and conditions met with the
span that says so: reasoner.evidence), check it, then ask the next question worth asking (reasoner.questions)
— yes / no / a number — until no missing fact can change an amount. Plain functions; the page draws them."""
from __future__ import annotations

import logging

from reasoner.assess import assess
from reasoner.evidence import with_evidence
from reasoner.explain import money
from reasoner.model import load_policy
from reasoner.questions import apply_answer, next_questions
from reasoner.textprofile import profile_from_text

from .english import yuan_en
from .qa import ENCODER_ERRORS


def _similarity():
    """The e5 paraphrase similarity, or None (words only) when the encoder cannot load."""
    try:
        from qa_app.encoder import paraphrase_similarity
        return paraphrase_similarity()
    except ENCODER_ERRORS:
        logging.getLogger("policykg.app").warning("paraphrase similarity unavailable; words only", exc_info=True)
        return None


def start(text: str, loaded) -> dict:
    """A new self-check: the description's profile with its evidence, no question asked yet."""
    profile = with_evidence(profile_from_text(text), text, load_policy(loaded.build.graph), similarity=_similarity())
    return {"text": text, "profile": profile, "asked": [], "answers": []}


def report(state: dict, loaded, *, as_of=None) -> dict:
    return assess(state["profile"], loaded.build.graph, as_of=as_of)


def key(q: dict) -> str:
    return q.get("condition") or f"{q.get('field')}:{q.get('role', '')}"


def pending(result: dict, state: dict, loaded) -> list[dict]:
    """Questions not asked yet that could change an amount, best first."""
    policy = load_policy(loaded.build.graph)
    return [q for q in next_questions(result, policy, state["profile"], limit=None) if key(q) not in state["asked"]]


def answer(state: dict, q: dict, value) -> dict:
    """The state after an answer ("yes", "no", "skip", a number); raises ValueError for a bad number."""
    profile = state["profile"] if value == "skip" else apply_answer(state["profile"], q, value)
    return {**state, "profile": profile, "asked": [*state["asked"], key(q)],
            "answers": [*state["answers"], {"question": q["question"], "answer": value}]}


def worth(q: dict, lang: str = "zh") -> str:
    """回答这个问题可能影响 130万元 — the money the answer alone decides, else all it bears on."""
    amount = q["unlocks_yuan"] if q["unlocks_yuan"] else q["affects_yuan"]
    return yuan_en(amount) if lang == "en" else money(amount)
