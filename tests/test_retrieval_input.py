"""Bad questions get a clear PolicyInputError (CLI: one line, exit 2), never a crash."""
from __future__ import annotations

import pytest

from kg_builder.errors import PolicyInputError
from qa_app.answer import validate_question

BAD = [
    ("", "empty or whitespace only"),
    ("  \u3000\n\t ", "empty or whitespace only"),
    ("高" * 2001, "2001 characters long"),
    (b"\xe9\xab\x98\xe4\xbc\x81", "bytes, not text"),
    (None, "NoneType, not text"),
    (12345, "int, not text"),
    ("高企\x00\x01奖励", "control or undecodable"),
    ("\x89PNG\r\n\x1a\n\x00\x00", "control or undecodable"),
    ("高企\ufffd\ufffd", "control or undecodable"),
]


@pytest.mark.parametrize("question, message", BAD, ids=[repr(q)[:20] for q, _ in BAD])
def test_bad_question_message(question, message):
    with pytest.raises(PolicyInputError, match=message) as err:
        validate_question(question)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("question", ["高企", " 2000字以内的问题 ", "高" * 2000, "What about PCT?\n"])
def test_good_question_passes(question):
    assert validate_question(question) == question.strip()
