"""docs/guide.md runs as written: every ``>>>`` example is a doctest."""
import doctest
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide.md"


def test_guide_doctests_pass():
    result = doctest.testfile(str(GUIDE), module_relative=False, report=True,
                              optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 30                     # the guide's examples were found
    assert result.failed == 0, f"{result.failed} of {result.attempted} guide examples failed"
