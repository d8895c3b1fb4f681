#!/usr/bin/env python3
"""Parse Dockerfiles with the official BuildKit parser (PyPI package `dockerfile`).

Usage: buildkit_parse.py [--timings FILE] [--failures-json FILE] FILES...

All files are parsed in this one process with dockerfile.parse_file(path).
Only the parse loop is timed in-process; the benchmark harness times the
whole process (interpreter start-up + import + loop) from outside.

Files that fail to parse are reported on stderr, one line each, followed by a
summary line with the count. The exit status is 0 even when some files fail
(2 only for a usage error), so that a benchmark run times every file.

--timings FILE        append one JSON line per run: files, failed, instructions,
                      parse_loop_s (seconds, perf_counter).
--failures-json FILE  write the failures as a JSON list of {file, error, message}.
"""

import json
import sys
import time

import dockerfile


def main(argv: list[str]) -> int:
    timings_path = None
    failures_path = None
    files: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in ("--timings", "--failures-json"):
            value = next(args, None)
            if value is None:
                print(f"buildkit_parse.py: {arg} needs a value", file=sys.stderr)
                return 2
            if arg == "--timings":
                timings_path = value
            else:
                failures_path = value
        elif arg == "--":
            files.extend(args)
        elif arg in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            files.append(arg)
    if not files:
        print("buildkit_parse.py: no files given (usage: buildkit_parse.py FILES...)", file=sys.stderr)
        return 2

    parse_file = dockerfile.parse_file
    failures: list[tuple[str, BaseException]] = []
    instructions = 0

    start = time.perf_counter()
    for path in files:
        try:
            instructions += len(parse_file(path))
        except Exception as exc:  # GoParseError / GoIOError, or anything unexpected
            failures.append((path, exc))
    elapsed = time.perf_counter() - start

    for path, exc in failures:
        print(f"FAIL {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
    print(
        f"buildkit-parse: {len(files)} files, {len(files) - len(failures)} parsed, "
        f"{len(failures)} failed, {instructions} instructions, "
        f"parse loop {elapsed * 1000:.1f} ms",
        file=sys.stderr,
    )

    if timings_path:
        with open(timings_path, "a", encoding="utf-8") as fh:
            record = {
                "files": len(files),
                "failed": len(failures),
                "instructions": instructions,
                "parse_loop_s": elapsed,
            }
            fh.write(json.dumps(record) + "\n")
    if failures_path:
        with open(failures_path, "w", encoding="utf-8") as fh:
            json.dump(
                [{"file": p, "error": type(e).__name__, "message": str(e)} for p, e in failures],
                fh,
                indent=2,
            )
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
