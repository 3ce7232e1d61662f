"""Helpers for the CLI tests: a CSV file from rows, and one CLI run captured."""
from exactgeo.cli import main


def write_csv(path, rows):
    path.write_text("\n".join(",".join(str(v) for v in row) for row in rows) + "\n")
    return str(path)


def run(capsys, argv):
    """(exit code, stdout, stderr) of ``exactgeo argv``."""
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err
