"""Data faults: a dataset folder that is missing, has a missing or changed file, a manifest
that does not match, or was written in an older layout is refused with one line naming the file
and the fix, by the runner and by every command; old versions stay readable while pages may
still be reading them."""

import json
import shutil
import threading

import pytest

from dashboard import cli
from dashboard.ingest import data_home
from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.ingest.integrity import DatasetDamaged
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE, FIXTURE_AS_OF, in_older_layout


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    return home


def live(home):
    return current_dataset(home)


def flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def damage_manifest(home, change):
    path = live(home) / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


FAULTS = {
    "a missing table": (
        lambda home: (live(home) / "contracts.parquet").unlink(),
        "contracts.parquet is missing",
    ),
    "a changed table": (
        lambda home: flip_a_byte(live(home) / "cases.parquet"),
        "cases.parquet does not match the checksum in manifest.json",
    ),
    "a missing roll-up": (
        lambda home: (live(home) / "derived" / "case_groups.parquet").unlink(),
        "derived/case_groups.parquet is missing",
    ),
    "a manifest whose checksum is wrong": (
        lambda home: damage_manifest(home, lambda m: m["tables"]["users"].update(sha256="0" * 64)),
        "users.parquet does not match the checksum in manifest.json",
    ),
    "a manifest that lists no table of the contract": (
        lambda home: damage_manifest(home, lambda m: m["tables"].pop("workspaces")),
        "was written in an older layout: manifest.json lists no workspaces.parquet;",
    ),
    # a re-import writes the optional tables, empty, and every derived file: a dataset without
    # them is from before they were part of the layout, and is not served
    "a dataset from before the account managers": (
        lambda home: in_older_layout(
            live(home), tables=("account_managers", "account_assignments")
        ),
        "was written in an older layout: manifest.json lists no account_managers.parquet, "
        "account_assignments.parquet;",
    ),
    "a dataset from before a roll-up": (
        lambda home: in_older_layout(live(home), derived=("entitlement_usage",)),
        "was written in an older layout: manifest.json lists no derived/entitlement_usage.parquet;",
    ),
    "a dataset from before a sorted copy": (
        lambda home: in_older_layout(live(home), derived=("case_list",)),
        "was written in an older layout: manifest.json lists no derived/case_list.parquet;",
    ),
    "a dataset from before derived files": (
        lambda home: damage_manifest(home, lambda m: m.pop("derived")),
        "was written in an older layout: manifest.json lists no derived/",
    ),
    "a manifest that is not JSON": (
        lambda home: (live(home) / "manifest.json").write_text("{ not json"),
        "manifest.json cannot be read (JSONDecodeError)",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_damaged_dataset_is_refused_naming_the_file_and_the_fix(home, fault):
    damage, message = FAULTS[fault]
    damage(home)
    with pytest.raises(DatasetDamaged) as refused:
        Dataset(live(home))
    text = str(refused.value)
    assert message in text
    assert f"python -m dashboard import SRC --data {home}" in text
    assert "\n" not in text


@pytest.mark.parametrize("fault", FAULTS)
def test_every_command_that_reads_the_dataset_exits_with_one_line(home, fault, capsys):
    damage, message = FAULTS[fault]
    damage(home)
    for args in (["check"], ["export", "contracts", "--user", "u-cadmin"]):
        assert cli.main([*args, "--data", str(home)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and message in err, args


def test_a_dataset_in_an_older_layout_is_one_line_saying_to_import_again(home):
    folder = live(home)
    in_older_layout(folder, derived=("case_list", "contact_case_groups"))
    with pytest.raises(DatasetDamaged) as refused:
        Dataset(folder)
    assert str(refused.value) == (
        f"the dataset in {folder.resolve()} was written in an older layout: manifest.json lists "
        "no derived/case_list.parquet, derived/contact_case_groups.parquet; import the data "
        f"again with `python -m dashboard import SRC --data {home}` (or, for the demo data, "
        f"`python -m dashboard seed --out {home}`)"
    )


def test_no_dataset_at_all_says_how_to_build_one(tmp_path, capsys):
    assert cli.main(["check", "--data", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "python -m dashboard import SRC" in err


def test_a_dataset_folder_without_its_manifest(home, capsys):
    (live(home) / "manifest.json").unlink()
    assert cli.main(["check", "--data", str(home)]) == 1
    assert "has no manifest.json" in capsys.readouterr().err


def test_check_passes_an_intact_dataset(home, capsys):
    assert cli.main(["check", "--data", str(home)]) == 0
    assert "every file matches its manifest" in capsys.readouterr().out


def test_a_file_that_goes_while_serving_is_a_damaged_dataset_not_a_crash(home):
    dataset = Dataset(live(home))
    assert dataset.run("support_requests", "u-cadmin").height == 10
    (live(home) / "cases.parquet").unlink()  # the usage tables are read from disk per query
    with pytest.raises(DatasetDamaged, match="cases.parquet"):
        dataset.run("support_requests", "u-cadmin", Filters(date_from=FIXTURE_AS_OF))


def renamed_fixture(tmp_path, name):
    """The hand-made tables with contract K-A renamed."""
    src = tmp_path / f"src-{name}"
    shutil.copytree(FIXTURE, src)
    contracts = src / "contracts.csv"
    text = contracts.read_text()
    assert text.count("Acme Unified 2026") == 1
    contracts.write_text(text.replace("Acme Unified 2026", name))
    return src


def test_reimports_while_pages_are_read_give_the_old_or_the_new_never_a_mix(home, tmp_path):
    """Readers open whatever `current` is, as each rerun of a page does, and read two queries
    from it; meanwhile the data is re-imported again and again, alternating two versions."""
    versions = {"Acme Unified 2026": FIXTURE, "Renamed": renamed_fixture(tmp_path, "Renamed")}
    seen, problems, stop = [], [], threading.Event()
    opened: dict = {}

    def reader():
        while not stop.is_set():
            try:
                folder = live(home)
                if folder not in opened:
                    opened[folder] = Dataset(folder)
                dataset = opened[folder]
                names = set(dataset.run("contracts", "u-cadmin").get_column("name"))
                contract = dataset.run("active_contracts", "u-cadmin")
                first = set(names) & set(versions)
                again = set(contract.get_column("name")) & set(versions)
                seen.append((frozenset(first), frozenset(again)))
            except Exception as error:  # every error is a failure here
                problems.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for round_no in range(6):
            src = versions["Renamed"] if round_no % 2 == 0 else FIXTURE
            import_dataset(src, home, FIXTURE_AS_OF)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert problems == []
    assert {first for first, _ in seen} == {
        frozenset({"Acme Unified 2026"}),
        frozenset({"Renamed"}),
    }
    assert all(first == again for first, again in seen)  # one version per page, never a mix


def test_old_versions_are_kept_while_pages_may_still_read_them(home, monkeypatch):
    for _ in range(3):
        import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    versions = home / data_home.VERSIONS
    assert len([p for p in versions.iterdir() if not p.name.startswith(".")]) == 4
    monkeypatch.setattr(data_home, "GRACE_SECONDS", 0)
    import_dataset(FIXTURE, home, FIXTURE_AS_OF)
    left = sorted(p.name for p in versions.iterdir() if not p.name.startswith("."))
    assert len(left) == data_home.KEEP_VERSIONS
    assert live(home).name == left[-1]
