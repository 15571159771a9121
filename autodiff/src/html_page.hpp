// The fixed parts of to_html()'s page: its style, its controls and its script.
// The script reads the sweep that html.cpp wrote as JSON and, for the step in
// the URL (#step=N, #step=end), fills each node's gradient line, highlights
// the node being visited and its operands, and writes the chain rule out. It
// computes no number: each one it shows was formatted by html.cpp.
#pragma once

#include <string_view>

namespace tapegrad::detail::html {

inline constexpr std::string_view page_css = R"css(
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; background: #fff; }
header { position: sticky; top: 0; left: 0; z-index: 1; display: flex; flex-wrap: wrap;
         align-items: center; gap: 6px 18px; padding: 6px 12px; background: #f4f4f4;
         border-bottom: 1px solid #ddd; }
h1 { margin: 0; font-size: 16px; font-weight: 600; }
nav { display: flex; align-items: center; gap: 6px; }
nav button { min-width: 2.4em; font-size: 15px; }
nav input { width: 260px; }
#counter { font-variant-numeric: tabular-nums; }
#explain { min-height: 5.6em; padding: 6px 12px; border-bottom: 1px solid #eee; }
#explain p { margin: 2px 0; }
#explain .rule { margin-left: 1.5em; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
#graph { overflow: auto; }
svg text { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; fill: #222; }
.node rect { fill: #fff; stroke: #999; stroke-width: 1.2; }
.node.leaf rect { fill: #dbe8fb; }
.node.out rect { stroke: #222; stroke-width: 2; }
.node .head { font-weight: 700; }
.node .op { fill: #666; }
.node .grad { fill: #b34700; font-weight: 700; }
.node.reached rect { stroke: #e69500; stroke-width: 2; }
.node.done rect { fill: #fff1cc; }
.node.leaf.done rect { fill: #d9f0d3; }
.node.operand rect { stroke: #1f77b4; stroke-width: 3; }
.node.current rect { fill: #ffe0d6; stroke: #d62728; stroke-width: 3.5; }
.into path { fill: none; stroke: #aaa; stroke-width: 1.2; }
.into .partial { font-size: 11px; fill: #666; text-anchor: end; paint-order: stroke;
                 stroke: #fff; stroke-width: 3px; }
.into.hot path { stroke: #d62728; stroke-width: 2.5; }
.into.hot .partial { fill: #d62728; font-weight: 700; }
)css";

/// After the output's label in the heading; {0} is the number of steps.
inline constexpr std::string_view page_controls = R"html(</span>, node by node</h1>
<nav aria-label="steps of the sweep">
<button id="first" title="first step (Home)">&#xAB;</button>
<button id="prev" title="previous step (&#x2190;)">&#x2190;</button>
<input id="slider" type="range" min="0" max="{0}" value="0" aria-label="step">
<button id="next" title="next step (&#x2192;)">&#x2192;</button>
<button id="last" title="last step (End)">&#xBB;</button>
<span id="counter">step 0 of {0}</span>
</nav>
</header>
<section id="explain" aria-live="polite">
)html";

/// What step 0 says; {0} is the number of steps, {1} the output's label.
inline constexpr std::string_view page_step_zero =
    "Step 0: the forward pass is done. Each box shows its node's value, each edge the local "
    "partial d(node)/d(operand) stored when the node was recorded. No gradient yet: press \u2192 "
    "to run backward() from {1}, one node per step ({0} steps).";

inline constexpr std::string_view page_js = R"js(
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('sweep-data').textContent);
  const steps = data.steps, last = steps.length;
  const explain = document.getElementById('explain'), stepZero = explain.innerHTML;
  const slider = document.getElementById('slider'), counter = document.getElementById('counter');
  const button = (id) => document.getElementById(id);
  const nodes = new Map(); // tape index -> its box, its gradient line and what that shows
  for (const g of document.querySelectorAll('#nodes > g')) {
    nodes.set(Number(g.dataset.node), { g: g, grad: g.querySelector('.grad'),
                                        call: g.querySelector('.op').textContent, text: '' });
  }
  const edgesInto = new Map(); // tape index -> the group of edges from its operands
  for (const e of document.querySelectorAll('#edges > g')) edgesInto.set(Number(e.dataset.to), e);
  const lit = []; // what the current step highlights
  let current = -1;

  const who = (i) => (i in data.names ? '#' + i + ' ' + data.names[i] : '#' + i);
  const short = (i) => (i in data.names ? data.names[i] : '#' + i);
  const outName = data.out.replace(/^#\d+ /, '');
  function say(kind, text) {
    const p = document.createElement(kind === 'rule' ? 'div' : 'p');
    if (kind) p.className = kind;
    p.textContent = text;
    explain.appendChild(p);
  }

  // Step k: the gradients after backward() has visited k nodes. Each node
  // shows the last sum it received; at the end, the ones never reached show 0.
  function show(k, scroll) {
    k = Math.max(0, Math.min(last, Math.floor(k) || 0));
    if (k === current) return;
    current = k;
    const text = new Map(), done = new Set();
    for (let s = 0; s < k; ++s) {
      const [node, grad, passed] = steps[s];
      text.set(node, grad);
      done.add(node);
      for (const [operand, , sum] of passed) text.set(operand, sum);
    }
    for (const [i, n] of nodes) {
      let t = text.has(i) ? text.get(i) : k === last ? '0' : '';
      if (t !== '') t = 'grad ' + t;
      if (n.text !== t) n.grad.textContent = n.text = t;
      n.g.classList.toggle('reached', t !== '');
      n.g.classList.toggle('done', k === last || done.has(i));
    }
    for (const el of lit) el.classList.remove('current', 'operand', 'hot');
    lit.length = 0;
    if (k === 0) {
      explain.innerHTML = stepZero;
    } else {
      explain.replaceChildren();
      const [node, grad, passed] = steps[k - 1];
      const here = nodes.get(node);
      say('', 'Step ' + k + ' of ' + last + ': node ' + who(node) + ' = ' + here.call + '.');
      say('', k === 1
        ? 'backward() starts at the output: d(' + outName + ')/d(' + outName + ') = ' + grad + '.'
        : 'Every node that uses it has passed its share down, so its gradient d(' + outName +
          ')/d(' + short(node) + ') = ' + grad + ' is complete.');
      if (passed.length === 0) {
        say('', short(node) + (here.g.classList.contains('leaf') ? ' is a leaf' : ' has no operands') +
                ': nothing to pass on.');
      } else {
        say('', 'Chain rule: each operand\u2019s gradient += local partial \u00d7 this node\u2019s gradient:');
        passed.slice(0, 40).forEach(([operand, partial, sum]) =>
          say('rule', 'grad ' + who(operand) + ' += ' + partial + ' \u00d7 ' + grad + ' \u2192 ' + sum));
        if (passed.length > 40) say('rule', '\u2026 and ' + (passed.length - 40) + ' more operands');
      }
      if (k === last) say('', 'The sweep is done: every box shows d(' + outName + ')/d(node); ' +
                              'a node it never reached has gradient 0.');
      here.g.classList.add('current');
      lit.push(here.g);
      for (const [operand] of passed) {
        nodes.get(operand).g.classList.add('operand');
        lit.push(nodes.get(operand).g);
      }
      if (edgesInto.has(node)) {
        edgesInto.get(node).classList.add('hot');
        lit.push(edgesInto.get(node));
      }
      if (scroll) here.g.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    slider.value = k;
    counter.textContent = 'step ' + k + ' of ' + last;
    button('first').disabled = button('prev').disabled = k === 0;
    button('next').disabled = button('last').disabled = k === last;
    if (location.hash !== '#step=' + k) history.replaceState(null, '', '#step=' + k);
  }

  function fromHash() {
    const m = /step=(\d+|end)/.exec(location.hash);
    return m ? (m[1] === 'end' ? last : Number(m[1])) : 0;
  }
  window.addEventListener('hashchange', () => show(fromHash(), true));
  button('first').addEventListener('click', () => show(0, true));
  button('prev').addEventListener('click', () => show(current - 1, true));
  button('next').addEventListener('click', () => show(current + 1, true));
  button('last').addEventListener('click', () => show(last, true));
  slider.addEventListener('input', () => show(Number(slider.value), true));
  document.addEventListener('keydown', (e) => {
    if (e.target === slider || e.altKey || e.ctrlKey || e.metaKey) return;
    const to = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    show(to, true);
  });
  show(fromHash(), false);
  // Scrolling to the step's node waits for the first paint (headless
  // Chromium's screenshots come out blank otherwise).
  requestAnimationFrame(() => { if (current > 0) lit[0].scrollIntoView({ block: 'nearest', inline: 'nearest' }); });
  // How long the page took, from the start of loading to laid out, for tests.
  void document.body.getBoundingClientRect();
  document.body.dataset.layoutMs = performance.now().toFixed(1);
})();
)js";

} // namespace tapegrad::detail::html
