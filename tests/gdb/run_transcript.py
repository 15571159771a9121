#!/usr/bin/env python3
"""Replays a gdb transcript and checks that gdb still prints what it quotes.

A transcript is text in which each line `(gdb) COMMAND` is a command and the
lines after it, up to the next command, are what gdb prints for it. In a
Markdown file only the ```gdb fenced blocks count, so a tutorial
(docs/backprop-in-gdb.md) is its own test and cannot go stale.

Matching is exact on words and numbers, with allowances for what differs from
machine to machine: hex addresses, process ids, source paths and line numbers,
runs of spaces. With --exact-lines, line numbers must match too: for a
transcript that quotes only the project's own sources, whose numbers a reader
follows in the editor. `...` stands for anything: alone on a line, for any
number of lines; inside a line, for any text. A bare `run` runs the program with its
arguments and its output sent to a file, so it cannot interleave with gdb's.

Usage: run_transcript.py GDB TRANSCRIPT [--safe-path DIR] [--source FILE]
                         [--exact-lines] -- PROGRAM [ARGS...]
Exit status: 0 when every command's output matches, 1 when one does not,
77 (CTest's skip) when GDB cannot be run.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

MARK = "@@tapegrad-transcript %d@@"


def read_transcript(path):
    """[(command, [expected lines])] in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if path.endswith(".md"):
        kept, inside = [], False
        for line in lines:
            if line.strip().startswith("```"):
                inside = not inside and line.strip() == "```gdb"
                continue
            if inside:
                kept.append(line)
        lines = kept
    steps = []
    for line in lines:
        if line.startswith("(gdb) "):
            steps.append((line[len("(gdb) "):].strip(), []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def normalize(line, exact_lines=False):
    """One line with the machine-specific parts replaced by stable words."""
    if not exact_lines:
        line = re.sub(r"^\d+\t", "N ", line)  # a source line as gdb lists it
    line = re.sub(r"0x[0-9a-f]+", "0x?", line)
    line = re.sub(r"(?:[^\s:,()]*/)?([\w.+-]+\.(?:cpp|hpp|h))\b", r"\1", line)
    if not exact_lines:
        line = re.sub(r"(\.(?:cpp|hpp|h)):\d+", r"\1:N", line)
        line = re.sub(r"\bline \d+", "line N", line)
    line = re.sub(r"\bprocess \d+", "process N", line)
    return " ".join(line.split())


def line_pattern(expected):
    """A regex for one expected line: `...` inside it matches any text."""
    return re.compile(".*?".join(re.escape(part) for part in expected.split("...")) + r"\Z")


def matches(expected, actual):
    """Do the expected lines (with `...` lines as wildcards) match all of actual?"""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return (bool(actual) and line_pattern(expected[0]).match(actual[0]) is not None
            and matches(expected[1:], actual[1:]))


def command_file(steps, program_args, output_file):
    script = []
    for n, (command, _) in enumerate(steps):
        if command == "run":
            command = "run %s > %s" % (" ".join(shlex.quote(a) for a in program_args),
                                       shlex.quote(output_file))
        script += ["echo \\n%s\\n" % (MARK % n), command]
    return "\n".join(script + ["echo \\n%s\\n" % (MARK % len(steps))]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gdb")
    parser.add_argument("transcript")
    parser.add_argument("--safe-path", help="added to gdb's auto-load safe-path")
    parser.add_argument("--source", help="a script gdb sources first (the user's one line)")
    parser.add_argument("--exact-lines", action="store_true",
                        help="line numbers must match too (a transcript of the project's sources)")
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("give the program after --")
    split = argv.index("--")
    options = parser.parse_args(argv[:split])
    program = argv[split + 1:]
    program[0] = os.path.abspath(program[0])  # gdb runs in a scratch folder
    steps = read_transcript(options.transcript)
    if not steps:
        print("no `(gdb) ` commands in " + options.transcript)
        return 1

    with tempfile.TemporaryDirectory() as work:
        commands = os.path.join(work, "commands.gdb")
        with open(commands, "w", encoding="utf-8") as f:
            f.write(command_file(steps, program[1:], os.path.join(work, "program-output.txt")))
        gdb = [options.gdb, "-batch", "-nx",
               # Quiet on any machine: no ASLR warning in containers, no debuginfod.
               "-iex", "set disable-randomization off",
               "-iex", "set debuginfod enabled off"]
        if options.safe_path:
            gdb += ["-iex", "add-auto-load-safe-path " + options.safe_path]
        if options.source:
            gdb += ["-iex", "source " + options.source]
        try:
            run = subprocess.run(gdb + ["-x", commands, program[0]], cwd=work, timeout=300,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 encoding="utf-8", errors="replace")
        except FileNotFoundError:
            print("skipped: cannot run " + options.gdb)
            return 77

    output = run.stdout
    failures = 0
    for n, (command, expected) in enumerate(steps):
        start = output.find(MARK % n)
        end = output.find(MARK % (n + 1))
        if start < 0 or end < 0:
            print("FAIL: gdb stopped before `%s` finished (command %d)" % (command, n + 1))
            failures += 1
            break
        exact = options.exact_lines
        actual = [normalize(l, exact) for l in output[start + len(MARK % n):end].splitlines()]
        actual = [l for l in actual if l]
        wanted = [normalize(l, exact) if l.strip() != "..." else "..." for l in expected]
        wanted = [l for l in wanted if l]
        if not matches(wanted, actual):
            failures += 1
            print("FAIL: (gdb) %s\n--- expected:\n%s\n--- gdb printed:\n%s\n"
                  % (command, "\n".join(wanted), "\n".join(actual)))
    if failures:
        print("=== the whole gdb session ===\n" + output)
        return 1
    print("%d gdb commands, output as the transcript says" % len(steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
