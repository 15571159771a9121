#!/usr/bin/env python3
"""Opens to_html()'s pages in headless Chromium and checks what they show.

The seed network's page (write_pages.cpp) at #step=0, a middle step and
#step=end: the text Chromium renders (--dump-dom, after the page's script
ran) must show the values and partials of this file's own copy of the seed
network, and exactly the gradients its own reverse sweep has produced after
that many steps. Then: a name that needs escaping shows as typed, a
screenshot at #step=end is not blank, and the layout times are reported.
Exits 77 (skipped) when Chromium is not installed."""
import argparse
import html.parser
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib


def g6(x):
    """A number as the page writes it: 6 significant digits (fmt's {:.6g})."""
    return "%.6g" % x


def seed_network():
    """The seed network in write_pages.cpp's order: (op, operands, partials, value)."""
    nodes = []

    def rec(op, value, *args):
        nodes.append((op, [a for a, _ in args], [p for _, p in args], value))
        return len(nodes) - 1

    def val(i):
        return nodes[i][3]

    def sig(z):
        return 1 / (1 + math.exp(-z))

    x, w1, b1, w2, b2 = (rec("leaf", v) for v in (0.5, 0.2, 0.1, 0.4, 0.2))
    m1 = rec("mul", val(w1) * val(x), (w1, val(x)), (x, val(w1)))
    z1 = rec("add", val(m1) + val(b1), (m1, 1.0), (b1, 1.0))
    s = sig(val(z1))
    a1 = rec("sigmoid", s, (z1, s * (1 - s)))
    m2 = rec("mul", val(w2) * val(a1), (w2, val(a1)), (a1, val(w2)))
    z2 = rec("add", val(m2) + val(b2), (m2, 1.0), (b2, 1.0))
    s = sig(val(z2))
    y_hat = rec("sigmoid", s, (z2, s * (1 - s)))
    log1 = rec("log", math.log(s), (y_hat, 1 / s))
    term1 = rec("mul", val(log1), (log1, 1.0))  # y * log(y_hat), y = 1
    one_minus = rec("sub", 1 - s, (y_hat, -1.0))
    log2 = rec("log", math.log(1 - s), (one_minus, 1 / (1 - s)))
    term2 = rec("mul", 0.0 * val(log2), (log2, 0.0))  # (1 - y) * log(1 - y_hat): -0
    total = rec("add", val(term1) + val(term2), (term1, 1.0), (term2, 1.0))
    rec("neg", -val(total), (total, -1.0))
    return nodes, {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2}


def sweep_states(nodes):
    """What the page must show after each step: node -> gradient text."""
    out = len(nodes) - 1
    grads = [0.0] * len(nodes)
    grads[out] = 1.0
    shown, states = {}, [{}]
    for i in range(out, -1, -1):
        if grads[i] == 0.0:
            continue  # as Tape::backward: out does not depend on node i
        shown[i] = g6(grads[i])
        for operand, partial in zip(nodes[i][1], nodes[i][2]):
            grads[operand] += partial * grads[i]
            shown[operand] = g6(grads[operand])
        states.append(dict(shown))
    end = dict(states[-1])
    for i in range(len(nodes)):
        end.setdefault(i, "0")  # the last step shows every gradient
    states[-1] = end
    return states, grads


class Page(html.parser.HTMLParser):
    """The visible text of a dumped DOM, and each node's value and gradient."""

    INVISIBLE = {"script", "style", "title", "head"}

    def __init__(self, text):
        super().__init__()
        self.stack, self.text = [], []
        self.values, self.grads, self.partials = {}, {}, []
        self.node = None
        self.layout_ms = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and "data-layout-ms" in a:
            self.layout_ms = float(a["data-layout-ms"])
        if "data-node" in a:
            self.node = int(a["data-node"])
        self.stack.append((tag, a.get("class", "")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if any(tag in self.INVISIBLE for tag, _ in self.stack) or not self.stack:
            return
        self.text.append(data)
        cls = self.stack[-1][1].split()
        if "value" in cls:
            self.values[self.node] = data
        elif "grad" in cls:
            self.grads[self.node] = data
        elif "partial" in cls:
            self.partials.append(data)

    def visible(self):
        return " ".join(self.text)


class Browser:
    def __init__(self, chromium, profile):
        self.base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--user-data-dir=" + profile]

    def run(self, *args):
        done = subprocess.run(self.base + list(args), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            sys.exit("chromium failed: %s\n%s" % (" ".join(args), done.stderr[-2000:]))
        return done.stdout

    def open(self, path, fragment):
        return Page(self.run("--dump-dom", "file://" + path + fragment))


def png_colours(path):
    """The number of distinct pixel colours in an 8-bit RGB(A) PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), "expected 8-bit RGB or RGBA"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for k in range(stride):
            a = line[k - bpp] if k >= bpp else 0
            b = previous[k]
            c = previous[k - bpp] if k >= bpp else 0
            if kind == 1:
                line[k] = (line[k] + a) & 255
            elif kind == 2:
                line[k] = (line[k] + b) & 255
            elif kind == 3:
                line[k] = (line[k] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[k] = (line[k] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(bytes(line[k:k + bpp]) for k in range(0, stride, bpp * 7))  # a sample
        previous = line
    return len(colours)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="")
    parser.add_argument("--write-pages", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    if not args.chromium or args.chromium.endswith("NOTFOUND") or not os.path.exists(args.chromium):
        print("chromium not found: skipping the browser test")
        return 77
    os.makedirs(args.dir, exist_ok=True)
    subprocess.run([args.write_pages, args.dir], check=True)
    seed, moons = os.path.join(args.dir, "seed.html"), os.path.join(args.dir, "moons.html")
    nodes, leaves = seed_network()
    states, grads = sweep_states(nodes)
    last = len(states) - 1
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(args.chromium, profile)
        middle = last // 2
        for label, fragment, k in (("step 0", "#step=0", 0), ("middle step", "#step=%d" % middle, middle),
                                   ("last step", "#step=end", last)):
            page = browser.open(seed, fragment)
            text = page.visible()
            check("step %d of %d" % (k, last) in text, "%s: the counter says step %d of %d" % (label, k, last))
            check(page.values == {i: "value " + g6(n[3]) for i, n in enumerate(nodes)},
                  "%s: every node shows its value" % label)
            want = sorted(g6(p) for n in nodes for p in n[2])
            check(sorted(page.partials) == want, "%s: every edge shows its partial" % label)
            shown = {i: t for i, t in page.grads.items() if t}
            check(shown == {i: "grad " + g for i, g in states[k].items()},
                  "%s: exactly the gradients the sweep has reached (%d of %d nodes)"
                  % (label, len(shown), len(nodes)))
            if k == 0:
                check(not re.search(r"grad -?\d", text), "step 0: no gradient anywhere in the text")
            if k == last:
                for name, exact in (("w2", "-0.218027"), ("b2", "-0.396533"), ("w1", g6(grads[leaves["w1"]])),
                                    ("b1", "-0.0392594")):
                    check(page.grads.get(leaves[name]) == "grad " + exact, "last step: d(loss)/d(%s) = %s" % (name, exact))
                print("     seed page laid out in %.1f ms" % page.layout_ms)
        names = browser.open(os.path.join(args.dir, "names.html"), "#step=end")
        check('node #0 <b>&"</script> = leaf' in names.visible(), "a name with <, &, \" and </script> shows as typed")
        check("#1 it's" in names.visible(), "a name with ' shows as typed")
        big = browser.open(moons, "#step=end")
        check(big.layout_ms is not None and big.layout_ms < 3000,
              "the %d-node page lays out in %.1f ms (limit 3000: a loaded CI machine)" % (len(big.values), big.layout_ms or -1))
        shot = os.path.join(args.dir, "seed-end.png")
        browser.run("--hide-scrollbars", "--window-size=1400,700", "--screenshot=" + shot, "file://" + seed + "#step=end")
        colours = png_colours(shot)
        check(colours >= 8, "the screenshot at #step=end is not blank (%d colours)" % colours)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
