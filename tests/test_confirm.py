"""The question `scaffold adopt` asks before it writes: yes only when answered yes, the end
of input a no, anything else asked again, Ctrl-C still an interrupt."""

from __future__ import annotations

import io

import pytest

from scaffold.cli import _confirm


class InterruptedInput:
    """A terminal where the user presses Ctrl-C at the question."""

    def readline(self) -> str:
        raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("y\n", True),
        ("yes\n", True),
        ("  YES \n", True),
        ("Y\n", True),
        ("\n", False),
        ("n\n", False),
        (" No\n", False),
    ],
)
def test_only_yes_applies(
    typed: str, answer: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert _confirm("Apply this plan?") is answer
    assert capsys.readouterr().out == "Apply this plan? [y/N]: "


def test_another_answer_is_asked_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("sure\nyep\nyes\n"))
    assert _confirm("Apply?") is True
    assert capsys.readouterr().out == (
        "Apply? [y/N]: Please answer y or n.\nApply? [y/N]: Please answer y or n.\nApply? [y/N]: "
    )


def test_the_end_of_input_is_a_no_on_a_line_of_its_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("what\n"))
    assert _confirm("Apply?") is False
    assert capsys.readouterr().out == "Apply? [y/N]: Please answer y or n.\nApply? [y/N]: \n"


def test_ctrl_c_is_an_interrupt_after_ending_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", InterruptedInput())
    with pytest.raises(KeyboardInterrupt):
        _confirm("Apply?")
    assert capsys.readouterr().out == "Apply? [y/N]: \n"
