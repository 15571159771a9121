# The reverse sweep seen from gdb: `tapegrad-step` runs Tape::backward's loop
# to its next node and prints that node's chain rule, in the words of
# tape.set_trace(); sweep_position() tells tapegrad-node how far the sweep has
# got. The loop is found by the text of its lines in the source gdb reads, not
# by line numbers. Used by tapegrad_printers.py, which registers the command.
import gdb

if "TapeView" not in globals():  # imported, not embedded after the reader's text
    from tapegrad_tape_view import TapeView, six_digits

# Tape::backward's loop, found by the text of its lines in the source gdb
# reads (autodiff/src/tape.cpp), not by line numbers: the line each node's
# iteration starts on, and the first line after the loop.
_LOOP_TEXT = "const double upstream = grads_[i];"
_AFTER_LOOP_TEXT = "watch_sweep(out.index_)"


def backward_lines():
    """(source file, loop line, line after the loop, the file's lines) of
    Tape::backward, read again each time (the program may have been rebuilt)."""
    symbol = gdb.lookup_global_symbol("tapegrad::Tape::backward")
    if symbol is None:
        symbol = gdb.lookup_symbol("tapegrad::Tape::backward")[0]
    if symbol is None or symbol.symtab is None:
        raise gdb.GdbError("tapegrad: no debug information for tapegrad::Tape::backward "
                           "(build with -g, e.g. `cmake --preset debug`)")
    path = symbol.symtab.fullname()
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().splitlines()
    except OSError:
        raise gdb.GdbError("tapegrad: cannot read %s, the source of Tape::backward" % path)
    loop = after = None
    for number in range(symbol.line, len(text) + 1):
        line = text[number - 1]
        if loop is None and _LOOP_TEXT in line:
            loop = number
        elif loop is not None and _AFTER_LOOP_TEXT in line:
            after = number
            break
    if loop is None or after is None:
        raise gdb.GdbError("tapegrad: cannot find the reverse loop of Tape::backward in %s "
                           "(looked for `%s`)" % (path, _LOOP_TEXT))
    return path, loop, after, text


def sweep_position(view):
    """Where Tape::backward is in its sweep of this tape, when a frame of the
    stack is in it: "before" its loop, the node `i` the loop is at, or "done";
    None outside backward()."""
    try:
        frame = gdb.selected_frame()
        while frame is not None:
            if frame.name() == "tapegrad::Tape::backward":
                if int(frame.read_var("this")) != int(view.tape.address):
                    return None
                _, loop, after, _ = backward_lines()
                line = frame.find_sal().line
                if line < loop - 1:
                    return "before"
                if line >= after:
                    return "done"
                return int(frame.read_var("i"))
            frame = frame.older()
    except (gdb.error, ValueError):
        pass
    return None


class _LoopStop(gdb.Breakpoint):
    """Stops at the top of the loop for a node whose grad is not 0 (the loop
    skips the others), and remembers it."""

    def __init__(self, path, line):
        super().__init__(source=path, line=line, internal=True)
        self.silent = True  # tapegrad-step says where it stopped, in its words
        self.node = None

    def stop(self):
        try:
            frame = gdb.selected_frame()
            i = int(frame.read_var("i"))
            if float(frame.read_var("this")["grads_"]["data_"][i]) == 0.0:
                return False
        except gdb.error:  # optimized out: stop, and say so
            self.node = -1
            return True
        self.node = i
        return True


class _EndStop(gdb.Breakpoint):
    def __init__(self, path, line):
        super().__init__(source=path, line=line, internal=True)
        self.silent = True
        self.reached = False

    def stop(self):
        self.reached = True
        return True


def _chain_rule_line(view, i):
    """Tape::watch_step's trace line: `#7 mul(#2, #6): grad -0.396533 → #2 +=
    0.549834 × -0.396533, #6 += 0.4 × -0.396533`."""
    upstream = view.grad(i)
    text = "#%d %s: grad %s" % (i, view.call(i), six_digits(upstream))
    pairs = list(zip(view.operands(i), view.partials(i)))
    for k, (operand, partial) in enumerate(pairs):
        text += "%s #%d += %s \u00d7 %s" % (" \u2192" if k == 0 else ",", operand,
                                            six_digits(partial), six_digits(upstream))
    if not pairs:
        text += " (a leaf: nothing to pass on)"
    return text


class StepCommand(gdb.Command):
    """Run the reverse sweep to its next node and show the chain rule there.
Usage: tapegrad-step
Continues the program until Tape::backward's loop reaches a node whose grad is
not 0 (the loop skips the others), stops at the top of that node's iteration,
and prints what the iteration will do, in the words of tape.set_trace():
`#7 mul(#2, #6): grad -0.396533 → #2 += 0.549834 × -0.396533, ...`, that
is, each operand's grad += partial × the node's grad. After the last node it
stops just after the loop. `tapegrad-node i` shows the node in full."""

    def __init__(self):
        super().__init__("tapegrad-step", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        if argument.strip():
            raise gdb.GdbError("usage: tapegrad-step (no arguments)")
        if gdb.selected_inferior().pid == 0:
            raise gdb.GdbError("tapegrad-step: the program is not running (`start` or `run` it)")
        path, loop, after, text = backward_lines()
        node_stop, end_stop = _LoopStop(path, loop), _EndStop(path, after)
        try:
            gdb.execute("continue", False)  # no "Continuing.": the stop is ours to report
        finally:
            node, reached_end = node_stop.node, end_stop.reached
            node_stop.delete()
            end_stop.delete()
        if node == -1:
            gdb.write("stopped in Tape::backward's loop, but `i` or `this` cannot be read here "
                      "(an optimized build? `cmake --preset debug` builds with -O0)\n"
                      "%d\t%s\n" % (loop, text[loop - 1]))
        elif node is not None:
            view = TapeView(gdb.selected_frame().read_var("this"))
            gdb.write("%s\n%d\t%s\n" % (_chain_rule_line(view, node), loop, text[loop - 1]))
        elif reached_end:
            gdb.write("the sweep is done: every grad is final\n%d\t%s\n"
                      % (after, text[after - 1]))
        # Else gdb stopped elsewhere (a breakpoint, a signal, the program's
        # end) and has said so.
