# tapegrad's gdb pretty-printers: a tapegrad::Value prints as its node's line
# (`#9 sigmoid(#8) value=0.6034... grad=-1.657... "y_hat"`), a tapegrad::Tape as
# its table of nodes, in exactly the words of tapegrad/print.hpp, so what a
# student sees in gdb is what fmt::print("{}", tape) shows. The tape is stored
# as arrays (one per field), so one node is shown with `p $node(tape, i)` or,
# with its local partials, `tapegrad-node i [tape]`; `tapegrad-step` runs the
# reverse sweep to its next node and prints that node's chain rule.
#
# Loading: every program that links tapegrad::autodiff carries this file
# (after tapegrad_tape_view.py and tapegrad_sweep.py) in its
# .debug_gdb_scripts section (gdb/autoload.cmake); by hand:
# `source <prefix>/share/tapegrad/gdb/tapegrad_printers.py`.
# docs/backprop-in-gdb.md is the tutorial.
import os
import struct
import sys

import gdb
import gdb.printing
import gdb.xmethod

if "TapeView" not in globals():
    # Sourced from its file (not embedded after the text of
    # tapegrad_tape_view.py and tapegrad_sweep.py): the reader and the sweep
    # are the modules next to it.
    # No __pycache__ left in the checkout or the install folder.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    from tapegrad_tape_view import (NotATape, TapeView, shortest,  # noqa: F401
                                    table_header, row_limit)
    from tapegrad_sweep import StepCommand, sweep_position  # noqa: F401
    sys.dont_write_bytecode = writes_bytecode


# --- The printers -------------------------------------------------------------


class ValuePrinter:
    """tapegrad::Value: its node's line, or why it has none."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        try:
            tape = self.val["tape_"]
            index = int(self.val["index_"])
            generation = int(self.val["generation_"])
        except gdb.error:  # an optimized build's argument: gdb has no value
            return "<optimized out>"
        if int(tape) == 0:
            # No tape: a constant, its double's bits in index_ and generation_,
            # or the empty handle's pattern (Value::empty_bits).
            bits = (generation << 32) | index
            if bits == 0x7FF4E0E0E0E0E0E0:
                return "<empty Value>"
            return "<constant %s>" % shortest(struct.unpack("<d", struct.pack("<Q", bits))[0])
        try:
            view = TapeView(tape)
            if not view.is_live(index, generation):
                return "<stale Value #%d>" % index
            return view.node_line(index)
        except (NotATape, gdb.MemoryError):
            return ("<invalid Value (not initialised yet?): tape_=0x%x index_=%d generation_=%d>"
                    % (int(tape), index, generation))


class TapePrinter:
    """tapegrad::Tape: `tapegrad::Tape with 17 nodes = {<table>}`.

    The table is print.hpp's format_tape, up to `set print elements` rows. It
    is a child, not part of to_string, because gdb shows a value's to_string in
    frame lines and backtraces (`walk (tape=..., ...)`), where a table of 10^6
    rows would not do; there it prints `tapegrad::Tape with 17 nodes = {...}`."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        try:
            size = TapeView(self.val).size
        except (NotATape, gdb.MemoryError):
            return "<invalid tapegrad::Tape (not constructed yet?)>"
        return "tapegrad::Tape with %d node%s" % (size, "" if size == 1 else "s")

    def children(self):
        try:
            if TapeView(self.val).size == 0:
                return
        except (NotATape, gdb.MemoryError):
            return
        # The same tape, marked as "the table" by a volatile qualifier that no
        # real Tape has, so that the lookup below hands it to TableRows.
        tape = self.val
        if tape.type.code == gdb.TYPE_CODE_REF:
            tape = tape.referenced_value()
        yield "table", tape.cast(tape.type.unqualified().strip_typedefs().volatile())

    def display_hint(self):
        return "array"  # no child name: `= {` then the table


class TableRows:
    """The table of TapePrinter's child: a header, then one row per node."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        view = TapeView(self.val)
        lines = ["", table_header()]
        limit = row_limit()
        shown = view.size if limit is None else min(view.size, limit)
        lines.extend(view.row(i) for i in range(shown))
        if shown < view.size:
            lines.append("...(%d more nodes: `set print elements unlimited`, or "
                         "`p $node(tape, i)` for one)" % (view.size - shown))
        return "\n".join(lines) + "\n"


class _Printers(gdb.printing.PrettyPrinter):
    """The tapegrad printers, listed by `info pretty-printer` and switched off
    with `disable pretty-printer global tapegrad` like any collection."""

    def __init__(self):
        super().__init__("tapegrad", [gdb.printing.SubPrettyPrinter(name)
                                      for name in ("Value", "Tape")])

    def __call__(self, val):
        value_type = val.type
        if value_type.code == gdb.TYPE_CODE_REF:
            value_type = value_type.target()
        tag = value_type.strip_typedefs().tag
        enabled = {p.name for p in self.subprinters if p.enabled}
        if tag == "tapegrad::Value" and "Value" in enabled:
            return ValuePrinter(val)
        if tag == "tapegrad::Tape" and "Tape" in enabled:
            if str(value_type.strip_typedefs()) == "volatile tapegrad::Tape":
                return TableRows(val)
            return TapePrinter(val)
        return None


def build_pretty_printer():
    return _Printers()


# --- One node: $node(tape, i) and tapegrad-node ----------------------------------


def _evaluate_tape(expression):
    """The tape an expression names; with none, `*this` inside a Tape member
    function (Tape::backward), else a variable called `tape`."""
    if expression:
        return gdb.parse_and_eval(expression)
    try:
        this = gdb.parse_and_eval("this")
        if this.dereference().type.strip_typedefs().tag == "tapegrad::Tape":
            return this
    except gdb.error:
        pass
    return gdb.parse_and_eval("tape")


def _make_value(view, index):
    """A tapegrad::Value {&tape, index, the node's generation}, built in gdb (the
    program's memory is not touched), so that it prints with ValuePrinter."""
    value_type = gdb.lookup_type("tapegrad::Value")
    address = view.tape.address
    if address is None:
        raise gdb.GdbError("$node: the tape has no address; pass the Tape variable itself")
    fields = {f.name: f for f in value_type.fields()}
    order = "<" if "little" in gdb.execute("show endian", to_string=True) else ">"
    data = bytearray(value_type.sizeof)
    pointer_format = order + ("Q" if fields["tape_"].type.sizeof == 8 else "I")
    struct.pack_into(pointer_format, data, fields["tape_"].bitpos // 8, int(address))
    struct.pack_into(order + "I", data, fields["index_"].bitpos // 8, index)
    struct.pack_into(order + "I", data, fields["generation_"].bitpos // 8,
                     int(view.generations[index]))
    return gdb.Value(bytes(data), value_type)


class NodeFunction(gdb.Function):
    """$node(TAPE, I): node I of TAPE, printed like a Value.
    Usage: p $node(tape, 3)     p $node(*this, i)   (inside Tape::backward)
    TAPE may be a Tape, a reference or a pointer to one."""

    def __init__(self):
        super().__init__("node")

    def invoke(self, tape, index):
        view = TapeView(tape)
        i = int(index)
        if not 0 <= i < view.size:
            raise gdb.GdbError("$node: node #%d does not exist: the tape has %d nodes"
                               % (i, view.size))
        return _make_value(view, i)


class NodeCommand(gdb.Command):
    """Show one tape node with its operands and local partial derivatives.
Usage: tapegrad-node INDEX [TAPE]
INDEX is any expression (inside Tape::backward, `i`); TAPE defaults to *this
inside a Tape member function, else to the variable `tape`. For each operand it
shows d(node)/d(operand), stored when the node was recorded, and what the
reverse sweep adds to the operand's gradient: partial \u00d7 the node's grad."""

    def __init__(self):
        super().__init__("tapegrad-node", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        words = argument.split(None, 1)
        if not words:
            raise gdb.GdbError("usage: tapegrad-node INDEX [TAPE]")
        index = int(gdb.parse_and_eval(words[0]))
        try:
            view = TapeView(_evaluate_tape(words[1] if len(words) > 1 else ""))
        except (NotATape, gdb.MemoryError):
            raise gdb.GdbError("tapegrad-node: the tape is not constructed here (on a "
                               "function's opening brace, `next` once first)")
        if not 0 <= index < view.size:
            raise gdb.GdbError("tapegrad-node: node #%d does not exist: the tape has %d nodes"
                               % (index, view.size))
        grad = view.grad(index)
        lines = [view.node_line(index)]
        # The words of Tape::backward's loop: each operand gets
        # contribution = partial (stored at record time) x the node's grad.
        for operand, partial in zip(view.operands(index), view.partials(index)):
            name = view.name(operand)
            lines.append("  operand #%d%s: partial %s, contribution %s \u00d7 %s = %s" % (
                operand, ' "%s"' % name if name else "", shortest(partial), shortest(partial),
                shortest(grad), shortest(partial * grad)))
        if not view.operands(index):
            lines.append("  a leaf: no operands to pass its grad to")
        note = _grad_note(view, index, grad)
        if note:
            lines.append("  " + note)
        gdb.write("\n".join(lines) + "\n")


def _grad_note(view, index, grad):
    """What the grad of node `index` means now: not computed yet, still being
    summed by the sweep, or 0 because the output does not depend on it."""
    sweep = sweep_position(view)
    if sweep == "before" or (sweep is None and index >= view.grads_size):
        return "no grad yet: backward() has not computed it (every grad is 0 until it does)"
    if isinstance(sweep, int) and index < sweep:
        return ("grad so far: the sweep is at #%d and has not reached this node "
                "(nodes after it may still add to its grad)" % sweep)
    if grad == 0 and view.operands(index):
        return "grad 0: backward() skips this node (the output does not depend on it)"
    return ""


# --- The tape's arrays: `print partials_[k]` shows the number ------------------


class _ColumnElement(gdb.xmethod.XMethodWorker):
    """Column<T>::operator[] evaluated by gdb itself: the element, not a
    `(double &) @0x...` reference, and no call into the program (which an
    optimised build may have inlined away)."""

    def get_arg_types(self):
        return gdb.lookup_type("unsigned long")

    def get_result_type(self, column, index):
        return column["data_"].dereference().type

    def __call__(self, column, index):
        return (column["data_"] + int(index)).dereference()


class _ColumnMatcher(gdb.xmethod.XMethodMatcher):
    def __init__(self):
        super().__init__("tapegrad::detail::Column")

    def match(self, class_type, method_name):
        tag = class_type.strip_typedefs().tag or ""
        if tag.startswith("tapegrad::detail::Column<") and method_name == "operator[]":
            return _ColumnElement()
        return None


def register(objfile=None):
    """Registers the printers (for `objfile`, or everywhere), $node and
    tapegrad-node. Loading the file twice replaces, never duplicates."""
    gdb.printing.register_pretty_printer(objfile, build_pretty_printer(), replace=True)
    gdb.xmethod.register_xmethod_matcher(objfile, _ColumnMatcher(), replace=True)
    NodeFunction()
    NodeCommand()
    StepCommand()


register(gdb.current_objfile())
