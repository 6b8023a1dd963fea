// The analyst's page: filters, a timeline (echarts), an actor network
// (cytoscape), an event list whose items open their article with the spans
// highlighted, and quotes grouped by speaker. Everything comes from /api.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import cytoscape from 'cytoscape';
import { segments } from './spans.js';
import './style.css';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const I18N = {
  ar: {
    title: 'مرصد', actor: 'الفاعل', country: 'البلد (ISO)', code: 'نوع الحدث (رمز CAMEO)',
    since: 'من', until: 'إلى', text: 'بحث في النص', apply: 'تطبيق', reset: 'مسح',
    timeline: 'الخط الزمني للأحداث', network: 'شبكة الفاعلين', events: 'الأحداث',
    quotes: 'التصريحات حسب المتحدث', more: 'المزيد', article: 'المقال',
    l_trigger: 'الفعل', l_actor: 'الفاعلون', l_time: 'الزمن', l_quote: 'اقتباس',
    toggle: 'English', none: 'لا نتائج', unknown: 'متحدث غير معروف',
    q1: 'تعاون لفظي', q2: 'تعاون مادي', q3: 'صراع لفظي', q4: 'صراع مادي',
    docs: 'مقالات', evs: 'أحداث', pick: 'اختر حدثاً لعرض مقاله',
  },
  en: {
    title: 'marsad', actor: 'Actor', country: 'Country (ISO)', code: 'Event type (CAMEO code)',
    since: 'Since', until: 'Until', text: 'Full text', apply: 'Apply', reset: 'Clear',
    timeline: 'Events over time', network: 'Actor network', events: 'Events',
    quotes: 'Quotes by speaker', more: 'More', article: 'Article',
    l_trigger: 'Trigger', l_actor: 'Actors', l_time: 'Time', l_quote: 'Quote',
    toggle: 'العربية', none: 'Nothing found', unknown: 'Unknown speaker',
    q1: 'Verbal cooperation', q2: 'Material cooperation', q3: 'Verbal conflict', q4: 'Material conflict',
    docs: 'documents', evs: 'events', pick: 'Pick an event to read its article',
  },
};
const QUAD_COLORS = { 1: '#4e9a6b', 2: '#1f6f43', 3: '#d08a2b', 4: '#b33a3a' };

let lang = localStorage.getItem('marsad-lang') === 'en' ? 'en' : 'ar';
const t = (k) => I18N[lang][k] ?? k;
const $ = (id) => document.getElementById(id);

let filters = {};
let eventsCursor = null;
let timelineChart = null;
let graph = null;
let lastTimeline = [];

function applyLang() {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang-toggle').textContent = t('toggle');
  if (lastTimeline) drawTimeline(lastTimeline);
}

function showError(msg) {
  const el = $('error');
  el.textContent = msg;
  el.hidden = !msg;
}

async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const res = await fetch(`/api/${path}${q.size ? `?${q}` : ''}`);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** The filters a given endpoint accepts (the API refuses the others). */
function pick(names) {
  return Object.fromEntries(names.filter((n) => filters[n]).map((n) => [n, filters[n]]));
}
const EVENT_FILTERS = ['actor', 'country', 'code', 'since', 'until', 'text'];
const QUOTE_FILTERS = ['actor', 'country', 'since', 'until', 'text'];

async function refresh() {
  showError('');
  try {
    await Promise.all([loadTimeline(), loadNetwork(), loadEvents(false), loadQuotes()]);
  } catch (e) {
    showError(e.message);
  }
}

async function loadTimeline() {
  const data = await api('timeline', { ...pick(EVENT_FILTERS), by: 'quad_class' });
  lastTimeline = data.rows;
  drawTimeline(data.rows);
}

function drawTimeline(rows) {
  if (!timelineChart) timelineChart = echarts.init($('timeline'));
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const series = ['1', '2', '3', '4'].map((g) => ({
    name: t(`q${g}`),
    type: 'bar',
    stack: 'events',
    itemStyle: { color: QUAD_COLORS[g] },
    data: days.map((d) => rows.find((r) => r.day === d && r.group === g)?.events ?? 0),
  }));
  timelineChart.setOption(
    {
      // drawn at once: a growing animation would show a half-drawn chart
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: days, inverse: lang === 'ar' },
      yAxis: { type: 'value', minInterval: 1, position: lang === 'ar' ? 'right' : 'left' },
      series,
    },
    true,
  );
}

async function loadNetwork() {
  const data = await api('network', { ...pick(EVENT_FILTERS), limit: 60 });
  const label = (n) => (n.name ? `${n.name}\n${n.actor}` : n.actor);
  const elements = [
    ...data.nodes.map((n) => ({ data: { id: n.actor, label: label(n), weight: n.events } })),
    ...data.edges.map((e, i) => ({
      data: {
        id: `e${i}`,
        source: e.source_actor,
        target: e.target_actor,
        weight: e.events,
        color: e.mean_goldstein < 0 ? '#b33a3a' : '#1f6f43',
      },
    })),
  ];
  if (graph) graph.destroy();
  graph = cytoscape({
    container: $('network'),
    elements,
    // a small graph is fitted to the panel but not blown up past legibility
    maxZoom: 1.4,
    layout: { name: 'cose', animate: false, randomize: false },
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)', 'text-wrap': 'wrap', 'font-size': 11, 'background-color': '#3a6ea5',
          width: 'mapData(weight, 1, 20, 14, 40)', height: 'mapData(weight, 1, 20, 14, 40)',
          'text-valign': 'bottom',
        },
      },
      {
        selector: 'edge',
        style: {
          width: 'mapData(weight, 1, 20, 1, 8)', 'line-color': 'data(color)',
          'target-arrow-color': 'data(color)', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier',
        },
      },
    ],
  });
  graph.on('tap', 'node', (ev) => {
    const form = $('filters');
    form.elements.actor.value = ev.target.id();
    form.requestSubmit();
  });
}

function eventLine(e) {
  const who = (name, code) => (name || code || '—');
  // the arrow points from source to target in the reading direction
  const arrow = lang === 'ar' ? '←' : '→';
  return `${e.day ?? e.doc_date ?? ''} · ${who(e.source_name, e.source_actor)} ${arrow} ${who(e.target_name, e.target_actor)}`;
}

async function loadEvents(append) {
  const list = $('event-list');
  const params = { ...pick(EVENT_FILTERS), limit: 50 };
  if (append && eventsCursor) params.cursor = eventsCursor;
  const data = await api('events', params);
  if (!append) list.replaceChildren();
  for (const e of data.rows) {
    const li = document.createElement('li');
    li.className = 'event';
    li.dataset.eventId = e.event_id;
    li.dataset.docId = e.doc_id;
    li.dataset.trigger = e.trigger;
    const head = document.createElement('div');
    head.textContent = eventLine(e);
    const body = document.createElement('div');
    body.className = 'muted';
    const trig = document.createElement('b');
    trig.lang = 'ar';
    trig.textContent = e.trigger;
    body.append(trig, ` · CAMEO ${e.cameo}${e.plover ? ` · ${e.plover}` : ''} · ${e.doc_id}`);
    li.append(head, body);
    li.addEventListener('click', () => openDocument(e.doc_id, e.event_id));
    list.append(li);
  }
  if (!append && data.rows.length === 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = t('none');
    list.append(li);
  }
  eventsCursor = data.next_cursor;
  $('more-events').hidden = !eventsCursor;
}

async function loadQuotes() {
  const data = await api('quotes', { ...pick(QUOTE_FILTERS), limit: 200 });
  const view = $('quotes-view');
  view.replaceChildren();
  const groups = new Map();
  for (const q of data.rows) {
    const who = q.speaker || q.speaker_text || t('unknown');
    if (!groups.has(who)) groups.set(who, []);
    groups.get(who).push(q);
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [who, qs] of sorted) {
    const sec = document.createElement('section');
    sec.className = 'speaker';
    const h = document.createElement('h3');
    h.textContent = `${who} (${qs.length})`;
    sec.append(h);
    for (const q of qs) {
      const p = document.createElement('blockquote');
      p.lang = 'ar';
      p.dir = 'rtl';
      p.textContent = q.text;
      p.title = `${q.doc_id} · ${q.date ?? ''}`;
      p.addEventListener('click', () => openDocument(q.doc_id, null));
      sec.append(p);
    }
    view.append(sec);
  }
  if (!sorted.length) view.textContent = t('none');
}

/** Opens an article with the chosen event's spans highlighted. */
async function openDocument(docId, eventId) {
  showError('');
  let doc;
  try {
    doc = await api(`documents/${encodeURIComponent(docId)}`);
  } catch (e) {
    showError(e.message);
    return;
  }
  for (const li of document.querySelectorAll('.event.selected')) li.classList.remove('selected');
  if (eventId !== null) document.querySelector(`.event[data-event-id="${eventId}"]`)?.classList.add('selected');
  const ev = doc.events.find((e) => e.event_id === eventId);
  const spans = [];
  for (const q of doc.quotes) spans.push({ start: q.start, end: q.end, cls: 'hl-quote' });
  if (ev) {
    spans.push({ start: ev.sentence_start, end: ev.sentence_end, cls: 'sentence' });
    for (const ent of doc.entities) {
      if (ent.eid !== ev.source && ent.eid !== ev.target) continue;
      for (const [s, e] of ent.mentions) spans.push({ start: s, end: e, cls: 'hl-actor' });
    }
    for (const tm of doc.times) {
      const inSentence = tm.start >= ev.sentence_start && tm.end <= ev.sentence_end;
      if (inSentence || (ev.date && tm.value === ev.date)) spans.push({ start: tm.start, end: tm.end, cls: 'hl-time' });
    }
    spans.push({ start: ev.trigger_start, end: ev.trigger_end, cls: 'hl-trigger' });
  }
  const article = $('doc-text');
  article.replaceChildren();
  for (const seg of segments(doc.text, spans)) {
    if (seg.classes.length === 0) {
      article.append(seg.text);
    } else {
      const s = document.createElement('span');
      s.className = seg.classes.join(' ');
      s.textContent = seg.text;
      article.append(s);
    }
  }
  $('doc-title').textContent = doc.title || doc.id;
  $('doc-meta').textContent = [doc.id, doc.date, doc.source, ev ? `CAMEO ${ev.cameo} · Goldstein ${ev.goldstein}` : '']
    .filter(Boolean)
    .join(' · ');
  article.dataset.docId = doc.id;
  article.dataset.eventId = ev ? ev.event_id : '';
  article.querySelector('.hl-trigger')?.scrollIntoView({ block: 'center' });
}

function setTab(which) {
  $('tab-events').classList.toggle('active', which === 'events');
  $('tab-quotes').classList.toggle('active', which === 'quotes');
  $('events-view').hidden = which !== 'events';
  $('quotes-view').hidden = which !== 'quotes';
}

async function loadHealth() {
  try {
    const h = await api('health');
    $('health').textContent = `${h.documents} ${t('docs')} · ${h.events} ${t('evs')}`;
  } catch (e) {
    showError(e.message);
  }
}

$('filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const fd = new FormData(ev.target);
  filters = Object.fromEntries([...fd.entries()].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
  eventsCursor = null;
  refresh();
});
$('filters').addEventListener('reset', () => {
  filters = {};
  setTimeout(refresh, 0);
});
$('more-events').addEventListener('click', () => loadEvents(true).catch((e) => showError(e.message)));
$('tab-events').addEventListener('click', () => setTab('events'));
$('tab-quotes').addEventListener('click', () => setTab('quotes'));
$('lang-toggle').addEventListener('click', () => {
  lang = lang === 'ar' ? 'en' : 'ar';
  localStorage.setItem('marsad-lang', lang);
  applyLang();
  loadHealth();
});
window.addEventListener('resize', () => timelineChart?.resize());

$('doc-text').textContent = t('pick');
applyLang();
loadHealth();
refresh().then(() => document.body.setAttribute('data-ready', '1'));
