"""Ship the PPS tortured-phrase list: src/unspin/data/pps-tortured-phrases.csv.gz.

Source: /work/shared/data/tortured-phrases/pps_fingerprints_normalized.csv (derived from the
Problematic Paper Screener export in github.com/hahuyhoang411/tortured-phrase, data CC BY 4.0; see
src/unspin/data/PPS-TORTURED-PHRASES.md). Columns kept: fingerprint, expected, num_papers,
raw_query. Every query is parsed once here, so a list that unspin cannot read is never shipped.

    python scripts/build_tortured_list.py [--csv PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

from unspin.tortured.lexicon import PPS_FILE, read_pps

DEFAULT_CSV = Path("/work/shared/data/tortured-phrases/pps_fingerprints_normalized.csv")
COLUMNS = ("fingerprint", "expected", "num_papers", "raw_query")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--out", type=Path, default=Path("src/unspin/data") / PPS_FILE)
    args = ap.parse_args()
    with open(args.csv, encoding="utf-8", newline="") as fh:
        rows = [{k: r[k] for k in COLUMNS} for r in csv.DictReader(fh)]
    parsed = read_pps(rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with gzip.GzipFile(args.out, "wb", mtime=0) as out:  # mtime 0: a reproducible file
        out.write(buf.getvalue().encode("utf-8"))
    print(f"{args.out}: {len(rows)} rows, {len(parsed)} fingerprints, {parsed.skipped} unparsable")


if __name__ == "__main__":
    main()
