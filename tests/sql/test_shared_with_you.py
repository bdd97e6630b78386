"""A support request the viewer sees only because it was shared with them (case_shares) is
flagged `shared`, and counted apart, on the roll-ups, in support_request_counts: none where the
viewer would see it anyway (their own, or in a workspace where they see every case).

In the hand-made dataset (tests/fixtures/tiny/ANSWERS.md) K3 (W1, Walt's) and K6 (W2, Tess's)
are shared with Sam (u-shared), who holds customer_activity in W1 only: she sees K3 only
because it was shared with her, and K6 not at all (she cannot open W2)."""

from datetime import date

import pytest

from dashboard.ingest.data_home import current_dataset
from dashboard.ingest.importer import import_dataset
from dashboard.query.dataset import Dataset
from dashboard.query.filters import Filters
from tests.conftest import FIXTURE_AS_OF

EVERY = Filters(status="all")
SPRING = Filters(status="all", date_from=date(2026, 4, 1), date_to=date(2026, 5, 31))


def counts(dataset, user, filters=EVERY) -> tuple[int, int, int]:
    row = dataset.run("support_request_counts", user, filters).row(0, named=True)
    return row["visible"], row["hidden"], row["shared"]


def flagged(dataset, user, filters=EVERY) -> dict[str, bool]:
    rows = dataset.run("support_requests", user, filters)
    return dict(zip(rows["case_id"], rows["shared_with_you"], strict=True))


def test_sam_sees_one_support_request_only_because_it_was_shared_with_her(tiny):
    # W1 holds K1, K2, K3, K4, K7, K8 and K10: she sees K3, 6 hidden
    assert counts(tiny, "u-shared") == (1, 6, 1)
    assert flagged(tiny, "u-shared") == {"K3": True}
    assert counts(tiny, "u-shared", Filters(workspaces=("W1",))) == (1, 6, 1)
    # K3 was opened on 15 March: not in April and May (K2 and K4 are, both hidden)
    assert counts(tiny, "u-shared", SPRING) == (0, 2, 0)


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("u-cadmin", 10),  # every one of Acme's
        ("u-wsadmin", 7),  # W1's, as its admin (K3, shared with Sam, is his own)
        ("u-viewall", 7),
        ("u-group", 7),
        ("u-train", 1),  # K6, her own, though shared with Sam
        ("u-contact", 2),  # K5 and K9, his own
        ("u-act", 0),
    ],
)
def test_nobody_else_sees_one_only_because_it_was_shared(tiny, user, visible):
    assert counts(tiny, user)[0] == visible
    assert counts(tiny, user)[2] == 0
    assert not any(flagged(tiny, user).values())


# more shares, each a case the user: may see only through it (K2 to Sam, K5 to Tess, K6 to
# Cole); would see anyway (K3 to Walt, its contact and W1's admin; K1 to Vic, who sees all of
# W1; K1 to Gus, whose group may see W1's; K9 to Cole, its contact)
MORE_SHARES = [("K2", "u-shared"), ("K5", "u-train"), ("K6", "u-contact"), ("K3", "u-wsadmin"),
               ("K1", "u-viewall"), ("K1", "u-group"), ("K9", "u-contact")]  # fmt: skip


@pytest.fixture(scope="module")
def shared_more(tmp_path_factory) -> Dataset:
    """The hand-made dataset with MORE_SHARES."""
    import shutil

    from tests.conftest import FIXTURE

    base = tmp_path_factory.mktemp("shared-more")
    shutil.copytree(FIXTURE, base / "src", ignore=shutil.ignore_patterns("*.md"))
    with (base / "src" / "case_shares.csv").open("a", encoding="utf-8") as out:
        out.writelines(f"{case},{user}\n" for case, user in MORE_SHARES)
    import_dataset(base / "src", base / "home", FIXTURE_AS_OF)
    return Dataset(current_dataset(base / "home"))


def test_only_what_the_viewer_sees_through_a_share_alone_is_shared(shared_more):
    # Sam: K2 and K3, both shared with her, of W1's 7
    assert counts(shared_more, "u-shared") == (2, 5, 2)
    assert flagged(shared_more, "u-shared") == {"K2": True, "K3": True}
    # Tess opens W2 (K5, K6, K9): K6 her own, K5 shared with her; K9 hidden
    assert counts(shared_more, "u-train") == (2, 1, 1)
    assert flagged(shared_more, "u-train") == {"K6": False, "K5": True}
    # Cole: K5 and K9 his own (K9 shared with him too: still his own), K6 shared; none hidden
    assert counts(shared_more, "u-contact") == (3, 0, 1)
    assert flagged(shared_more, "u-contact") == {"K9": False, "K6": True, "K5": False}
    # in April and May: K5 (20 April) and K6 (5 May); K9 was opened on 15 June
    assert counts(shared_more, "u-contact", SPRING) == (2, 0, 1)
    for user in ("u-wsadmin", "u-viewall", "u-group", "u-cadmin"):  # they see K1 and K3 anyway
        assert counts(shared_more, user)[2] == 0, user
        assert not any(flagged(shared_more, user).values()), user
