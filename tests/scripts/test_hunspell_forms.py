"""scripts/hunspell_forms.py: the forms a hunspell dictionary spells, from its affix rules."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from hunspell_forms import expand, read_affixes, read_dictionary

AFF = """SET ISO8859-1
PFX a Y 1
PFX a   0     u           .

SFX B Y 2
SFX B   0     ar          [^e]
SFX B   e     ar          e

SFX C N 1
SFX C   0     leg         [^l]
"""
DIC = "3\nsak/B\nhage/aB\nven/C\n"


def _rules(tmp_path: Path) -> tuple[Path, Path]:
    aff, dic = tmp_path / "x.aff", tmp_path / "x.dic"
    aff.write_text(AFF, encoding="latin-1")
    dic.write_text(DIC, encoding="latin-1")
    return aff, dic


def test_suffixes_strip_and_add_where_the_condition_fits(tmp_path: Path) -> None:
    """ "sak" + ar; "hage" drops its e before "ar"."""
    aff, dic = _rules(tmp_path)
    rules = read_affixes(aff)
    entries = dict(read_dictionary(dic))
    assert expand("sak", entries["sak"], rules) == {"sak", "sakar"}
    assert {"hage", "hagar"} <= expand("hage", entries["hage"], rules)


def test_prefixes_cross_with_suffixes_when_both_allow_it(tmp_path: Path) -> None:
    """PFX a (cross) and SFX B (cross) give "uhage" and "uhagar" too."""
    aff, _dic = _rules(tmp_path)
    rules = read_affixes(aff)
    assert expand("hage", "aB", rules) == {"hage", "hagar", "uhage", "uhagar"}


def test_a_word_without_flags_is_just_itself(tmp_path: Path) -> None:
    """No flags, no forms but the word; the count line of the .dic is skipped."""
    aff, dic = _rules(tmp_path)
    entries = list(read_dictionary(dic))
    assert entries[0] == ("sak", "B")
    assert expand("ven", "", read_affixes(aff)) == {"ven"}
    assert expand("ven", "C", read_affixes(aff)) == {"ven", "venleg"}
