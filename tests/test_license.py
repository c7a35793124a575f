"""The project says under which terms it may be used: the Apache License 2.0, in full."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_license_is_apache_2_in_full_with_the_copyright_line() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("Copyright the Tableau Embedding Host authors\n")
    assert "Apache License\n                           Version 2.0, January 2004" in text
    for section in ("1. Definitions.", "4. Redistribution.", "9. Accepting Warranty or Additional Liability.",
                    "END OF TERMS AND CONDITIONS", "APPENDIX: How to apply the Apache License"):
        assert section in text, section
    assert "[LICENSE](LICENSE)" in (ROOT / "README.md").read_text(encoding="utf-8")
