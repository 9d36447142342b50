#!/usr/bin/python3
# Reads a subunit v2 stream (tempest's results) on stdin and prints one JSON object per test:
# {"id", "status", "reason"} — status as subunit says it (success, fail, skip, ...), reason the skip
# reason or the last lines of the failure's traceback. Used by scripts/tempest/main.ts; runs with
# Debian's python3 (its subunit and testtools), not the pyenv python on PATH.
import json
import sys

import subunit
import testtools


def reason_of(test):
    details = test.get("details") or {}
    for key in ("reason", "traceback"):
        if key in details:
            text = details[key].as_text().strip()
            if key == "traceback":
                lines = [line for line in text.splitlines() if line.strip()]
                text = "\n".join(lines[-12:])
            return text
    return ""


def main():
    results = []

    def on_test(test):
        # setUpClass/tearDownClass failures arrive as pseudo-tests named after the class.
        results.append({"id": test["id"], "status": test["status"], "reason": reason_of(test)})

    stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name="stdout")
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    try:
        stream.run(result)
    finally:
        result.stopTestRun()
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
