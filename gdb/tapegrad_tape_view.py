# Reading a tapegrad::Tape out of the program being debugged, and writing its
# nodes in the words of tapegrad/print.hpp (format_node, format_tape), numbers
# included. Used by tapegrad_printers.py; no gdb commands or printers here.
import math

import gdb


# --- Numbers, as fmt prints them ----------------------------------------------


def _nan_or_none(x):
    """fmt keeps a NaN's sign ("-nan"); Python drops it."""
    if math.isnan(x):
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    return None


def shortest(x):
    """fmt's "{}" for a double: the shortest text that reads back as x.

    Python's repr() picks the same digits and the same switch to exponent form
    (below 1e-4 and from 1e16 on); it only adds ".0" to whole numbers."""
    special = _nan_or_none(x)
    if special is not None:
        return special
    text = repr(x)
    return text[:-2] if text.endswith(".0") else text


def six_digits(x):
    """fmt's "{:.6g}", which follows printf's %g."""
    special = _nan_or_none(x)
    return special if special is not None else "%.6g" % x


# --- Reading the inferior's memory ------------------------------------------------

# Longest name read from the inferior: a guard against a garbage std::string in
# a Value that was never initialised, not a limit on real names.
_MAX_NAME = 1 << 16


class NotATape(Exception):
    """The memory does not hold a constructed Tape: at -O0, a variable before
    its line has run, or gdb stopped on a function's opening brace, before
    the arguments were copied in."""


# More nodes than an Index can count: no real tape has them.
_MAX_SIZE = 1 << 32


def _vector_start_size(vector):
    """A std::vector's data pointer and size (libstdc++'s _M_impl fields)."""
    impl = vector["_M_impl"]
    start = impl["_M_start"]
    size = int(impl["_M_finish"] - start)
    if not 0 <= size <= int(impl["_M_end_of_storage"] - start) or size > _MAX_SIZE:
        raise NotATape()
    return start, size


def _column(column, used):
    """A tapegrad::detail::Column's data pointer, checked to hold `used` entries."""
    if used > int(column["room_"]):
        raise NotATape()
    return column["data_"]


def _read_string(text):
    """A libstdc++ std::string's contents."""
    length = int(text["_M_string_length"])
    if length == 0:
        return ""
    if length > _MAX_NAME:
        raise gdb.MemoryError("implausible string length %d" % length)
    return text["_M_dataplus"]["_M_p"].string("utf-8", "replace", length)


class _Ops:
    """Op codes to printed names, read from the enum's own debug info so that a
    new op prints without changing this file. An op ending in "_c" prints its
    constant after the operands, one starting with "c_" before them
    (tapegrad/op.hpp: add_c -> "add(#3, c)", c_sub -> "sub(c, #3)")."""

    def __init__(self, op_type):
        self.names = {}
        for field in op_type.strip_typedefs().fields():
            name = field.name.split("::")[-1]
            if name.endswith("_c"):
                self.names[field.enumval] = (name[:-2], "after")
            elif name.startswith("c_"):
                self.names[field.enumval] = (name[2:], "before")
            else:
                self.names[field.enumval] = (name, "none")

    def call(self, code, operands, own_names=()):
        """Node text such as "mul(#3, #5)", "add(#4, c)" or "leaf". Codes from
        128 on (tapegrad::first_custom_op) are the tape's own, named by
        Tape::define_op (`own_names`), as Tape::op_name does."""
        if code >= 128:
            name = own_names[code - 128] if code - 128 < len(own_names) else "?"
            constant = "none"
        else:
            name, constant = self.names.get(code, ("op%d" % code, "none"))
        if name == "leaf":
            return "leaf"
        args = ["#%d" % a for a in operands]
        if constant == "before":
            args.insert(0, "c")
        elif constant == "after":
            args.append("c")
        return "%s(%s)" % (name, ", ".join(args))


_OPS = {}


def _ops():
    """The _Ops of the program being debugged (cached per gdb session)."""
    if "ops" not in _OPS:
        _OPS["ops"] = _Ops(gdb.lookup_type("tapegrad::Op"))
    return _OPS["ops"]


class TapeView:
    """One tapegrad::Tape in the inferior, read field by field: the same
    arrays Tape::backward reads (values_, grads_, ops_, first_operand_,
    operands_, partials_), the generations_ that tell a live handle, and
    names_."""

    def __init__(self, tape):
        tape = tape.referenced_value() if tape.type.code == gdb.TYPE_CODE_REF else tape
        if tape.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
            tape = tape.dereference()
        self.tape = tape
        # size_ nodes and operand_size_ operands are in use (see tape.hpp).
        self.size = int(tape["size_"])
        operand_size = int(tape["operand_size_"])
        if self.size > _MAX_SIZE or operand_size > _MAX_SIZE:
            raise NotATape()
        self.values = _column(tape["values_"], self.size)
        self.ops_data = _column(tape["ops_"], self.size)
        self.generations = _column(tape["generations_"], self.size)
        self.first = _column(tape["first_operand_"], self.size + 1)
        self.operand_data = _column(tape["operands_"], operand_size)
        self.partial_data = _column(tape["partials_"], operand_size)
        self.grads_size = int(tape["graded_"])
        if self.grads_size > self.size:
            raise NotATape()
        self.grads = _column(tape["grads_"], self.grads_size)
        self.names, self.names_size = _vector_start_size(tape["names_"])
        self.ops = _ops()
        self._own_names = None

    def value(self, i):
        return float(self.values[i])

    def grad(self, i):
        """0 for nodes from graded_ on (no backward() has reached them yet)."""
        return float(self.grads[i]) if i < self.grads_size else 0.0

    def operand_range(self, i):
        return int(self.first[i]), int(self.first[i + 1])

    def operands(self, i):
        begin, end = self.operand_range(i)
        return [int(self.operand_data[k]) for k in range(begin, end)]

    def partials(self, i):
        begin, end = self.operand_range(i)
        return [float(self.partial_data[k]) for k in range(begin, end)]

    def name(self, i):
        """Binary search of names_, sorted by node index, as Tape::name does."""
        low, high = 0, self.names_size
        while low < high:
            middle = (low + high) // 2
            if int(self.names[middle]["first"]) < i:
                low = middle + 1
            else:
                high = middle
        if low < self.names_size and int(self.names[low]["first"]) == i:
            return _read_string(self.names[low]["second"])
        return ""

    def own_op_names(self):
        """Tape::op_names_: the names define_op() gave."""
        if self._own_names is None:
            names, count = _vector_start_size(self.tape["op_names_"])
            self._own_names = [_read_string(names[k]) for k in range(min(count, 128))]
        return self._own_names

    def call(self, i):
        code = int(self.ops_data[i])
        own = self.own_op_names() if code >= 128 else ()
        return self.ops.call(code, self.operands(i), own)

    def is_live(self, index, generation):
        """Tape::is_live for a handle to this tape: is node `index` still the
        one recorded in `generation` (not dropped by clear() or rewind())?"""
        return index < self.size and int(self.generations[index]) == generation

    def node_line(self, i):
        """print.hpp's format_node: `#7 mul(#2, #6) value=0.21... grad=1 "z2"`."""
        text = "#%d %s value=%s grad=%s" % (
            i, self.call(i), shortest(self.value(i)), shortest(self.grad(i)))
        name = self.name(i)
        return text + (' "%s"' % name if name else "")

    def row(self, i):
        """One row of print.hpp's format_tape."""
        return "%5d  %-24s %13s %13s  %s" % (
            i, self.call(i), six_digits(self.value(i)), six_digits(self.grad(i)), self.name(i))


def table_header():
    return "%5s  %-24s %13s %13s  %s" % ("#", "op(operands)", "value", "grad", "name")


def row_limit():
    """gdb's `set print elements` (200 by default; None or 0: unlimited)."""
    limit = gdb.parameter("print elements")
    return None if limit in (None, 0) else int(limit)
