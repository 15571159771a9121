# Run inside gdb (gdb -batch -nx -x printers_match_fmt.py printers_program):
# at every stop in inspect(), the pretty-printers' text for the Tape, the Value
# and $node(tape, i) must equal what tapegrad's own printing produced for them.
# Exits gdb with status 0 when every stop matched, 1 otherwise; 77 (skipped)
# never: a missing printer is a failure.
import gdb


def std_string(value):
    """A libstdc++ std::string argument's text, read without any printer."""
    value = value.referenced_value() if value.type.code == gdb.TYPE_CODE_REF else value
    length = int(value["_M_string_length"])
    return value["_M_dataplus"]["_M_p"].string("utf-8", "replace", length) if length else ""


def printed(expression):
    """What `print EXPRESSION` shows after `$N = `."""
    text = gdb.execute("print " + expression, to_string=True)
    return text.split(" = ", 1)[1].rstrip("\n")


failures = []
stops = 0


def expect(what, actual, wanted):
    if actual != wanted:
        actual, wanted = actual[:3000], wanted[:3000]  # enough to see the difference
        failures.append("%s\n--- gdb printed:\n%s\n--- tapegrad printed:\n%s" % (what, actual, wanted))


def check_stop():
    tape_text = std_string(gdb.parse_and_eval("tape_text"))
    value_text = std_string(gdb.parse_and_eval("value_text"))
    # `tapegrad::Tape with N nodes = {`, the table, `}`.
    lines = printed("tape").split("\n")
    if not (lines[0].startswith("tapegrad::Tape with ") and lines[-1] == "}"):
        failures.append("no Tape printer: `print tape` gave\n" + "\n".join(lines))
        return
    expect("print tape (stop %d)" % stops, "\n".join(lines[1:-1]), tape_text.rstrip("\n"))
    expect("print v (stop %d)" % stops, printed("v"), value_text)
    if not value_text.startswith("<"):
        expect("print $node(tape, v.index_) (stop %d)" % stops,
               printed("$node(tape, v.index_)"), value_text)


gdb.execute("set print elements unlimited")
gdb.execute("break inspect")
gdb.execute("run")
while gdb.selected_inferior().pid != 0:
    stops += 1
    check_stop()
    if stops == 1:
        # A long tape is cut at `set print elements` rows, and says so.
        gdb.execute("set print elements 3")
        short = printed("tape").split("\n")
        if len(short) != 7 or not short[-2].startswith("...(14 more nodes"):
            failures.append("`set print elements 3` should show 3 rows, then say 14 more:\n"
                            + "\n".join(short))
        gdb.execute("set print elements unlimited")
    gdb.execute("continue")

if stops != 11:
    failures.append("stopped in inspect() %d times, not 11" % stops)
for failure in failures:
    gdb.write("FAIL: " + failure + "\n", gdb.STDERR)
gdb.write("%d stops, %d failures\n" % (stops, len(failures)))
gdb.execute("quit %d" % (1 if failures else 0))
