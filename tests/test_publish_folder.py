"""qa_app.encoder.new_folder / publish_folder: the converted and exported e5 folders appear whole or not at all."""
import pytest

from qa_app.encoder import new_folder, publish_folder


def test_a_built_folder_replaces_a_stale_one_and_no_temporary_folder_is_left(tmp_path):
    final = tmp_path / "models" / "m"
    final.mkdir(parents=True)
    (final / "old.txt").write_text("stale")
    with new_folder(final, marker="done.json") as tmp:
        assert tmp.parent == final.parent and tmp != final
        (tmp / "done.json").write_text("{}")
    assert sorted(p.name for p in final.iterdir()) == ["done.json"]
    assert [p.name for p in final.parent.iterdir()] == ["m"]


def test_a_failed_build_keeps_the_old_folder(tmp_path):
    final = tmp_path / "m"
    final.mkdir()
    (final / "done.json").write_text("{}")
    with pytest.raises(RuntimeError):
        with new_folder(final, marker="done.json") as tmp:
            (tmp / "half").write_text("x")
            raise RuntimeError("export failed")
    assert [p.name for p in final.iterdir()] == ["done.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_a_concurrent_builder_that_published_first_is_kept(tmp_path, monkeypatch):
    final, tmp = tmp_path / "m", tmp_path / ".m.tmp-1"
    tmp.mkdir()

    def rename_after_the_other(self, target):  # the other builder publishes between our check and our rename
        final.mkdir()
        (final / "done.json").write_text("theirs")
        raise OSError("exists")
    monkeypatch.setattr(type(tmp), "rename", rename_after_the_other)
    publish_folder(tmp, final, "done.json")
    assert (final / "done.json").read_text() == "theirs"


def test_a_failed_rename_with_nothing_published_is_an_error(tmp_path, monkeypatch):
    final, tmp = tmp_path / "m", tmp_path / ".m.tmp-1"
    tmp.mkdir()

    def fail(self, target):
        raise OSError("disk full")
    monkeypatch.setattr(type(tmp), "rename", fail)
    with pytest.raises(OSError, match="disk full"):
        publish_folder(tmp, final, "done.json")
