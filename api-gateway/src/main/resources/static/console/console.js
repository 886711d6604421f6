// Tessera's web console: plain JavaScript against the public API, nothing loaded from elsewhere.
// The key lives in sessionStorage only and goes out only in the Authorization header.
'use strict';

const KEY = 'tessera.key';
const FASHION_MNIST = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
  'Sneaker', 'Bag', 'Ankle boot'];
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];
const $ = (id) => document.getElementById(id);

const state = { key: null, admin: false, models: [], galleryAfter: null, queueTimer: null,
  lastTotals: null };

// ------------------------------------------------------------------ HTTP

function authHeaders(extra) {
  return Object.assign({ Authorization: 'Bearer ' + state.key }, extra || {});
}

/** A problem-details body as one line: "title: detail (field: f)". */
function problemText(status, body) {
  if (body && typeof body === 'object' && (body.title || body.detail)) {
    return (body.title || 'Error') + ': ' + (body.detail || '') +
      (body.field ? ' (field: ' + body.field + ')' : '');
  }
  return 'HTTP ' + status;
}

async function api(method, path, body, headers) {
  const init = { method, headers: authHeaders(headers) };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const error = new Error(problemText(response.status, json));
    error.status = response.status;
    error.problem = json;
    throw error;
  }
  return json;
}

async function imageUrl(id) {
  const response = await fetch('/v1/generations/' + id + '/image.png', { headers: authHeaders() });
  if (!response.ok) throw new Error('image: HTTP ' + response.status);
  return URL.createObjectURL(await response.blob());
}

/**
 * Server-sent events over fetch(), so that the Authorization header can be sent (EventSource
 * cannot send headers). Calls onEvent(name, data) for each event; resolves when the stream ends.
 */
async function streamEvents(path, onEvent, signal) {
  const response = await fetch(path, { headers: authHeaders({ Accept: 'text/event-stream' }), signal });
  if (response.status === 204) return;
  if (!response.ok) throw new Error('events: HTTP ' + response.status);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { name: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (event.data.length) onEvent(event.name, event.data.join('\n'));
        event = { name: 'message', data: [] };
      } else if (line.startsWith(':')) {
        // keep-alive comment
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.name = val;
        if (field === 'data') event.data.push(val);
      }
    }
  }
}

// ------------------------------------------------------------------ sign in

async function signIn(key) {
  state.key = key;
  state.admin = !key.startsWith('tsk_');
  try {
    await api('GET', state.admin ? '/v1/admin/generations?limit=1' : '/v1/generations?limit=1');
  } catch (e) {
    state.key = null;
    throw e;
  }
  sessionStorage.setItem(KEY, key);
  $('sign-in').hidden = true;
  $('tabs').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = state.admin ? 'admin' : 'key ' + key.split('_')[1];
  $('tab-generate').hidden = state.admin;
  $('tab-admin').hidden = !state.admin;
  $('gallery-tenant-label').hidden = !state.admin;
  if (!state.admin) await loadModels();
  show(state.admin ? 'admin' : 'generate');
}

function signOut() {
  sessionStorage.removeItem(KEY);
  location.reload();
}

function show(tab) {
  document.querySelectorAll('section.tab').forEach((s) => { s.hidden = s.id !== tab; });
  document.querySelectorAll('#tabs button').forEach((b) => {
    b.classList.toggle('active', b.dataset.tab === tab);
  });
  clearInterval(state.queueTimer);
  if (tab === 'gallery') loadGallery(true);
  if (tab === 'queue') { pollQueue(); state.queueTimer = setInterval(pollQueue, 2000); }
  if (tab === 'admin') loadAdmin();
}

// ------------------------------------------------------------------ submit

async function loadModels() {
  const list = await api('GET', '/v1/models');
  state.models = list.data;
  const select = $('model');
  select.innerHTML = '';
  for (const m of state.models) select.add(new Option(m.name, m.name));
  onModelChange();
}

function onModelChange() {
  const model = state.models.find((m) => m.name === $('model').value);
  const strategies = $('strategy');
  strategies.innerHTML = '';
  const classes = $('class');
  classes.innerHTML = '';
  if (!model) return;
  for (const s of model.strategies) strategies.add(new Option(s, s));
  for (let c = 0; c < model.num_classes; c++) {
    const name = model.num_classes === FASHION_MNIST.length ? FASHION_MNIST[c] : 'class ' + c;
    classes.add(new Option(c + ' · ' + name, String(c)));
  }
  onStrategyChange();
}

function onStrategyChange() {
  const s = $('strategy').value;
  document.querySelectorAll('.spec').forEach((e) => { e.hidden = !(s === 'speculative' || s === 'lantern'); });
  document.querySelectorAll('.lantern').forEach((e) => { e.hidden = s !== 'lantern'; });
}

function numberOf(id) {
  const v = $(id).value.trim();
  return v === '' ? undefined : Number(v);
}

/** The request body the form describes (undefined fields are left out by JSON). */
function formBody(index) {
  const seed = numberOf('seed');
  const deadline = $('deadline').value;
  return {
    model: $('model').value,
    class_label: Number($('class').value),
    strategy: $('strategy').value || undefined,
    seed: seed === undefined ? undefined : seed + index,
    temperature: numberOf('temperature'),
    top_k: numberOf('top-k'),
    top_p: numberOf('top-p'),
    cfg_scale: numberOf('cfg-scale'),
    priority: $('priority').value,
    deadline: deadline ? new Date(deadline).toISOString() : undefined,
    draft_len: $('draft-len').closest('label').hidden ? undefined : numberOf('draft-len'),
    lantern_k: $('lantern-k').closest('label').hidden ? undefined : numberOf('lantern-k'),
    lantern_delta: $('lantern-delta').closest('label').hidden ? undefined : numberOf('lantern-delta'),
    lantern_rule: $('lantern-rule').closest('label').hidden ? undefined : ($('lantern-rule').value || undefined),
    draft_threshold: $('draft-threshold').closest('label').hidden ? undefined : numberOf('draft-threshold'),
    ...treeFields(),
  };
}

/** A draft tree's fields when one is chosen (a chain sends none: tree_tokens stays 0). */
function treeFields() {
  const kind = $('tree-kind').value;
  if ($('tree-kind').closest('label').hidden || !kind) {
    return {};
  }
  return {
    tree_kind: kind,
    tree_tokens: numberOf('tree-tokens') ?? 24,
    tree_top_k: numberOf('tree-top-k'),
  };
}

async function submit(event) {
  event.preventDefault();
  $('submit-error').textContent = '';
  const count = Math.max(1, Math.min(16, numberOf('count') || 1));
  try {
    let accepted;
    if (count === 1) {
      accepted = [await api('POST', '/v1/generations', formBody(0))];
    } else {
      const requests = [];
      for (let i = 0; i < count; i++) requests.push(formBody(i));
      accepted = (await api('POST', '/v1/batches', { requests })).data;
    }
    for (const a of accepted) follow(a.id);
  } catch (e) {
    $('submit-error').textContent = e.message;
  }
}

// ------------------------------------------------------------------ one generation

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A card for a generation, followed over its event stream until it ends. */
function follow(id) {
  const card = el('div', { class: 'run', 'data-id': id });
  $('runs').prepend(card);
  renderCard(card, { id, status: 'QUEUED' }, ['QUEUED']);
  const seen = [];
  let events = 0;
  streamEvents('/v1/generations/' + id + '/events', (name, data) => {
    const view = JSON.parse(data);
    card.dataset.events = String(++events);
    card.dataset.lastEvent = name;
    if (!seen.includes(view.status)) seen.push(view.status);
    renderCard(card, view, seen);
  }).catch((e) => {
    card.querySelector('.states').textContent = 'event stream: ' + e.message;
  }).then(async () => {
    const view = await api('GET', '/v1/generations/' + id);
    if (!seen.includes(view.status)) seen.push(view.status);
    renderCard(card, view, seen);
  });
}

function renderCard(card, view, seen) {
  card.innerHTML = '';
  card.dataset.done = String(TERMINAL.includes(view.status));
  card.dataset.status = view.status;
  const head = el('div', { class: 'head' },
    el('span', { class: 'status ' + view.status }, view.status),
    el('code', {}, view.id),
    el('span', { class: 'muted' }, [view.model, view.strategy,
      view.class_label === undefined ? '' : 'class ' + view.class_label,
      view.seed === undefined ? '' : 'seed ' + view.seed].filter(Boolean).join(' · ')));
  const states = el('div', { class: 'states' }, seen.join(' → '));
  const frame = el('div', { class: 'frame' }, view.status);
  const info = el('div', {}, states);
  card.append(head, frame, info);
  if (view.status === 'SUCCEEDED') {
    imageUrl(view.id).then((url) => {
      const img = el('img', { class: 'pixelated', alt: 'generated image ' + view.id, src: url });
      frame.replaceWith(img);
    }).catch((e) => { frame.textContent = e.message; });
  }
  if (view.error) info.append(el('p', { class: 'error' }, view.error.code + ': ' + view.error.message));
  if (view.latency) info.append(latencyChart(view.latency));
  if (view.metrics) info.append(metricsTable(view.metrics, view.strategy));
}

function latencyChart(l) {
  const parts = [['queue', l.queue_ms], ['batch wait', l.batch_wait_ms], ['decode', l.decode_ms],
    ['encode', l.encode_ms]].filter(([, v]) => v !== undefined && v !== null);
  const total = Math.max(1, l.end_to_end_ms || parts.reduce((a, [, v]) => a + v, 0));
  const chart = el('div', { class: 'bars latency' });
  for (const [name, ms] of parts) {
    const bar = el('div', { class: 'bar ' + name.split(' ')[0] });
    bar.style.width = (100 * ms / total).toFixed(1) + '%';
    chart.append(el('span', {}, name), el('div', {}, bar), el('span', {}, ms + ' ms'));
  }
  chart.append(el('span', {}, 'end to end'), el('div', {}), el('span', {}, (l.end_to_end_ms ?? '–') + ' ms'));
  return chart;
}

function metricsTable(m, strategy) {
  const table = el('table', { class: 'metrics' });
  for (const [k, v] of [['steps', m.steps], ['target forwards', m.target_forwards],
    ['drafter forwards', m.drafter_forwards], ['drafted tokens', m.drafted_tokens],
    ['accepted tokens', m.accepted_tokens], ['mean accepted length', m.mean_accepted_length]]) {
    table.append(el('tr', {}, el('th', {}, k), el('td', {}, String(v))));
  }
  const wrap = el('div', {}, table);
  const hist = m.accepted_histogram || [];
  if ((strategy === 'speculative' || strategy === 'lantern') && hist.length) {
    const max = Math.max(1, ...hist);
    const bars = el('div', { class: 'hist', title: 'accepted draft tokens per verify step: 0, 1, 2, …' });
    hist.forEach((n, i) => {
      const b = el('div', { title: i + ' accepted: ' + n });
      b.style.height = (100 * n / max).toFixed(0) + '%';
      bars.append(b);
    });
    wrap.append(el('p', { class: 'muted' }, 'accepted length per step (0 … ' + (hist.length - 1) + ')'), bars);
  }
  return wrap;
}

// ------------------------------------------------------------------ gallery

async function loadGallery(reset) {
  $('gallery-error').textContent = '';
  if (reset) { state.galleryAfter = null; $('gallery-items').innerHTML = ''; }
  const q = new URLSearchParams({ limit: '24' });
  if ($('gallery-status').value) q.set('status', $('gallery-status').value);
  if ($('gallery-model').value.trim()) q.set('model', $('gallery-model').value.trim());
  if ($('gallery-strategy').value.trim()) q.set('strategy', $('gallery-strategy').value.trim());
  if (state.admin && $('gallery-tenant').value.trim()) q.set('tenant_id', $('gallery-tenant').value.trim());
  if (state.galleryAfter) q.set('after', state.galleryAfter);
  try {
    const page = await api('GET', (state.admin ? '/v1/admin/generations?' : '/v1/generations?') + q);
    for (const item of page.data) $('gallery-items').append(thumb(item));
    state.galleryAfter = page.last_id;
    $('gallery-more').hidden = !page.has_more;
  } catch (e) {
    $('gallery-error').textContent = e.message;
  }
}

function thumb(view) {
  const t = el('div', { class: 'thumb', 'data-id': view.id, 'data-status': view.status },
    el('div', { class: 'frame' }, view.status), el('div', {}, view.model + ' · ' + view.strategy),
    el('div', { class: 'muted' }, 'class ' + view.class_label + ' · ' + view.status));
  if (view.status === 'SUCCEEDED' && !state.admin) {
    imageUrl(view.id).then((url) => {
      t.querySelector('.frame').replaceWith(el('img', { src: url, alt: 'image ' + view.id }));
    }).catch(() => {});
  }
  t.addEventListener('click', () => {
    const card = el('div', { class: 'run', 'data-id': view.id });
    $('gallery-detail').replaceChildren(card);
    renderCard(card, view, [view.status]);
  });
  return t;
}

// ------------------------------------------------------------------ queue

/** Prometheus text → [{name, labels, value}]. */
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    (m[3] || '').replace(/(\w+)="((?:[^"\\]|\\.)*)"/g, (_, k, v) => { labels[k] = v; });
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

function fillTable(id, header, rows) {
  const table = $(id);
  table.innerHTML = '';
  table.append(el('tr', {}, ...header.map((h) => el('th', {}, h))));
  if (!rows.length) table.append(el('tr', {}, el('td', { colspan: String(header.length) }, 'none')));
  for (const r of rows) table.append(el('tr', {}, ...r.map((c) => el('td', {}, String(c)))));
}

async function pollQueue() {
  try {
    const response = await fetch('/actuator/prometheus');
    if (!response.ok) throw new Error('metrics: HTTP ' + response.status);
    const metrics = parseMetrics(await response.text());
    const of = (name) => metrics.filter((m) => m.name === name);
    fillTable('queue-waiting', ['model', 'priority', 'waiting'],
      of('tessera_requests_waiting').map((m) => [m.labels.model, m.labels.priority, m.value]));
    const free = of('tessera_kv_slots_free');
    fillTable('queue-running', ['model', 'strategy', 'decoding', 'free slots'],
      of('tessera_kv_slots_used').map((m) => [m.labels.model, m.labels.strategy, m.value,
        (free.find((f) => f.labels.model === m.labels.model && f.labels.strategy === m.labels.strategy) || {}).value ?? '–']));
    const totals = {};
    for (const m of of('tessera_requests_total')) {
      const k = m.labels.model + ' · ' + m.labels.status;
      totals[k] = (totals[k] || 0) + m.value;
    }
    const now = Date.now();
    const rows = [];
    if (state.lastTotals) {
      const seconds = (now - state.lastTotals.at) / 1000;
      for (const [k, v] of Object.entries(totals)) {
        rows.push([k, ((v - (state.lastTotals.values[k] || 0)) / seconds).toFixed(2), v]);
      }
    }
    state.lastTotals = { at: now, values: totals };
    fillTable('queue-throughput', ['model · status', 'per s', 'total'], rows);
    $('queue-error').textContent = '';
  } catch (e) {
    $('queue-error').textContent = e.message;
  }
}

// ------------------------------------------------------------------ admin

async function loadAdmin() {
  $('admin-error').textContent = '';
  try {
    const tenants = (await api('GET', '/admin/tenants')).data;
    const table = $('tenants');
    table.innerHTML = '';
    table.append(el('tr', {}, ...['name', 'id', 'rate/s', 'in flight', 'monthly images', ''].map((h) => el('th', {}, h))));
    for (const t of tenants) {
      const open = el('button', { class: 'link' }, 'open');
      open.addEventListener('click', () => openTenant(t));
      table.append(el('tr', {}, el('td', {}, t.name), el('td', {}, el('code', {}, t.id)),
        el('td', {}, String(t.rate_per_s ?? '–')), el('td', {}, String(t.max_in_flight ?? '–')),
        el('td', {}, String(t.monthly_images ?? '–')), el('td', {}, open)));
    }
    await loadDeadLetters();
  } catch (e) {
    $('admin-error').textContent = e.message;
  }
}

async function openTenant(t) {
  const detail = $('tenant-detail');
  detail.innerHTML = '';
  detail.append(el('h3', {}, t.name));
  const keys = (await api('GET', '/admin/tenants/' + t.id + '/keys')).data;
  const table = el('table', {}, el('tr', {}, ...['prefix', 'name', 'created', 'revoked', ''].map((h) => el('th', {}, h))));
  for (const k of keys) {
    const revoke = el('button', { class: 'link' }, 'revoke');
    revoke.disabled = !!k.revoked_at;
    revoke.addEventListener('click', async () => {
      await api('DELETE', '/admin/keys/' + k.key_id);
      openTenant(t);
    });
    table.append(el('tr', {}, el('td', {}, k.prefix), el('td', {}, k.name), el('td', {}, k.created_at),
      el('td', {}, k.revoked_at || ''), el('td', {}, revoke)));
  }
  const issue = el('button', {}, 'Issue a key');
  const secret = el('p', {});
  issue.addEventListener('click', async () => {
    const key = await api('POST', '/admin/tenants/' + t.id + '/keys', { name: 'console' });
    secret.replaceChildren('New key (shown once): ', el('span', { class: 'secret' }, key.key));
  });
  detail.append(table, issue, secret, el('h3', {}, 'Images per day, last 30 days'));
  const start = Math.floor(Date.now() / 1000) - 30 * 86400;
  const usage = await api('GET', '/v1/usage?bucket=1d&start=' + start + '&tenant_id=' + t.id);
  const counts = usage.data.map((b) => b.results.reduce((a, r) => a + r.images, 0));
  const max = Math.max(1, ...counts);
  const chart = el('div', { class: 'chart', title: 'billable images per day' });
  usage.data.forEach((b, i) => {
    const bar = el('div', { title: new Date(b.start_time * 1000).toISOString().slice(0, 10) + ': ' + counts[i] });
    bar.style.height = (100 * counts[i] / max).toFixed(0) + '%';
    chart.append(bar);
  });
  detail.append(chart, el('p', { class: 'muted' }, counts.reduce((a, b) => a + b, 0) + ' images in 30 days'));
}

async function loadDeadLetters() {
  const letters = (await api('GET', '/v1/admin/dead-letters?limit=50')).data;
  const table = $('dead-letters');
  table.innerHTML = '';
  table.append(el('tr', {}, ...['id', 'generation', 'model', 'error', 'attempts', 'created', ''].map((h) => el('th', {}, h))));
  for (const d of letters) {
    const replay = el('button', { class: 'link' }, d.replayed_at ? 'replayed' : 'replay');
    replay.disabled = !!d.replayed_at || d.kind !== 'request';
    replay.addEventListener('click', async () => {
      try {
        await api('POST', '/v1/admin/dead-letters/' + d.id + '/replay');
      } catch (e) {
        $('admin-error').textContent = e.message;
      }
      loadDeadLetters();
    });
    table.append(el('tr', {}, el('td', {}, String(d.id)), el('td', {}, el('code', {}, d.generation_id || '')),
      el('td', {}, d.model || ''), el('td', {}, (d.error_code || '') + ' ' + (d.error_message || '')),
      el('td', {}, String(d.attempts)), el('td', {}, d.created_at), el('td', {}, replay)));
  }
}

async function createTenant(event) {
  event.preventDefault();
  $('admin-error').textContent = '';
  try {
    await api('POST', '/admin/tenants', { name: $('tenant-name').value,
      rate_per_s: numberOf('tenant-rate'), max_in_flight: numberOf('tenant-inflight') });
    $('tenant-name').value = '';
    loadAdmin();
  } catch (e) {
    $('admin-error').textContent = e.message;
  }
}

// ------------------------------------------------------------------ wiring

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    try {
      await signIn($('api-key').value.trim());
    } catch (err) {
      $('sign-in-error').textContent = err.message;
    }
  });
  $('sign-out').addEventListener('click', signOut);
  document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab)));
  $('model').addEventListener('change', onModelChange);
  $('strategy').addEventListener('change', onStrategyChange);
  $('submit-form').addEventListener('submit', submit);
  $('gallery-filters').addEventListener('submit', (e) => { e.preventDefault(); loadGallery(true); });
  $('gallery-more').addEventListener('click', () => loadGallery(false));
  $('tenant-form').addEventListener('submit', createTenant);
  const saved = sessionStorage.getItem(KEY);
  if (saved) signIn(saved).catch(() => sessionStorage.removeItem(KEY));
});
