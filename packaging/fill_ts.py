"""Fill unfinished messages of a .ts file from a small table (used when adding strings).

Run ``packaging/build_resources.py --update-ts`` afterwards: lupdate restores its own layout.

    .venv/bin/python packaging/fill_ts.py resources/translations/cm_console_nl.ts table.json

``table.json`` maps a source text to its translation, or to a list of plural forms.
Messages not in the table are left as they are; the translation test reports them.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def fill(ts_path: Path, table: dict[str, str | list[str]]) -> int:
    tree = ET.parse(ts_path)  # noqa: S314 - our own translation sources
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if source is None or translation is None or source not in table:
            continue
        if translation.get("type") != "unfinished":
            continue
        value = table[source]
        if message.get("numerus") == "yes":
            forms = value if isinstance(value, list) else [value, value]
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            for form in forms:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value if isinstance(value, str) else value[0]
        del translation.attrib["type"]
        filled += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return filled


def main() -> int:
    ts_path, table_path = Path(sys.argv[1]), Path(sys.argv[2])
    table = json.loads(table_path.read_text(encoding="utf-8"))
    print(f"filled {fill(ts_path, table)} message(s) in {ts_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
