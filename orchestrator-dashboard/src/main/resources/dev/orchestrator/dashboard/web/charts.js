// The charts section (#charts), drawn by ECharts from GET /api/charts: cumulative spend over time per provider and
// per project with the stored budgets as lines, tasks per state over time, and each provider's latency and failure
// rate. Read when shown, and again when events come while it is shown.
import {h} from './dom.js';
import {get} from './api.js';
import {load} from './libs.js';

const STATE_COLOURS = {SUCCEEDED: '#1f8a4c', FAILED: '#c4312b', CANCELLED: '#8a94a6', RUNNING: '#3056d3',
  READY: '#9aa6c0', BLOCKED: '#c9d0de', RETRY_WAIT: '#c77700', PAUSED: '#e0a030', AWAITING_INPUT: '#f0b400',
  AWAITING_REVIEW: '#d08f00', SKIPPED: '#b0b7c3'};
const charts = new Map();
const $ = (id) => document.getElementById(id);
let timer = null;

function label(iso, step) {
  const d = new Date(iso);
  if (/^PT\d+S$/.test(step)) return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  if (/^PT/.test(step)) return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
  return d.toLocaleDateString();
}

async function draw(id, option, count) {
  const echarts = await load('echarts');
  const box = $(id);
  let chart = charts.get(id);
  if (!chart || chart.isDisposed()) {
    chart = echarts.init(box, null, {renderer: 'svg'});
    charts.set(id, chart);
  }
  chart.setOption(Object.assign({animation: false, tooltip: {trigger: 'axis'}, legend: {type: 'scroll', bottom: 0, itemGap: 30},
    grid: {left: 56, right: 56, top: 30, bottom: 56}}, option), true);
  chart.resize();
  box.dataset.series = String(count);
  box.dataset.rendered = 'true';
}

function spendOption(times, series, budgets, step) {
  const lines = budgets.map((b) => ({yAxis: Number(b.limit), name: b.kind.toLowerCase() + ' ' + b.name,
    label: {formatter: (b.name ? b.name : b.kind.toLowerCase()) + ' limit $' + Number(b.limit).toFixed(2),
      position: 'insideEndTop'}}));
  const max = Math.max(0, ...budgets.map((b) => Number(b.limit)));
  const out = Object.entries(series).map(([name, values], i) => ({name, type: 'line',
    showSymbol: times.length < 12,
    data: values.map(Number), markLine: i === 0 && lines.length ? {symbol: 'none', lineStyle: {type: 'dashed',
      color: '#c4312b'}, data: lines} : undefined}));
  if (!out.length && lines.length) {
    out.push({name: 'no spend yet', type: 'line', data: times.map(() => 0), markLine: {symbol: 'none', data: lines}});
  }
  return {xAxis: {type: 'category', boundaryGap: false, data: times.map((t) => label(t, step))},
    yAxis: {type: 'value', name: 'USD', max: max ? (v) => Math.max(v.max, max) * 1.1 : null,
      axisLabel: {formatter: (v) => '$' + v}},
    series: out};
}

/** Reads the data and draws every chart. */
export async function showCharts(project) {
  const scope = $('charts-scope');
  const all = scope && scope.value === 'all';
  const data = await get('api/charts' + (all || !project ? '' : '?project=' + encodeURIComponent(project)));
  $('charts').dataset.step = data.step;
  const budgetsOf = (kinds) => data.budgets.filter((b) => kinds.includes(b.kind));
  await draw('chart-spend-provider', spendOption(data.times, data.spendByProvider, budgetsOf(['PROVIDER']), data.step),
      Object.keys(data.spendByProvider).length);
  await draw('chart-spend-project', spendOption(data.times, data.spendByProject, budgetsOf(['PROJECT', 'GLOBAL']),
      data.step), Object.keys(data.spendByProject).length);
  const states = Object.entries(data.tasksByState);
  await draw('chart-states', {
    xAxis: {type: 'category', boundaryGap: false, data: data.times.map((t) => label(t, data.step))},
    yAxis: {type: 'value', name: 'tasks', minInterval: 1},
    series: states.map(([name, values]) => ({name: name.toLowerCase().replace(/_/g, ' '), type: 'line', stack: 'all',
      areaStyle: {}, showSymbol: data.times.length < 12, color: STATE_COLOURS[name], data: values})),
  }, states.length);
  const p = data.providers;
  await draw('chart-providers', {
    tooltip: {trigger: 'axis'},
    xAxis: {type: 'category', data: p.map((x) => x.provider)},
    yAxis: [{type: 'value', name: 'ms'}, {type: 'value', name: 'failures', max: 100,
      axisLabel: {formatter: '{value}%'}}],
    series: [
      {name: 'median latency', type: 'bar', data: p.map((x) => x.latencyP50Ms)},
      {name: '95th percentile', type: 'bar', data: p.map((x) => x.latencyP95Ms)},
      {name: 'failure rate', type: 'bar', yAxisIndex: 1, color: '#c4312b',
        data: p.map((x) => Math.round(x.failureRate * 1000) / 10)},
    ],
  }, p.length);
  const calls = p.reduce((n, x) => n + x.calls, 0);
  $('charts-note').replaceChildren(h('span', {class: 'meta'}, calls + ' calls, ' + data.times.length
      + ' steps of ' + data.step.replace('PT', '').toLowerCase()));
  $('charts').dataset.ready = 'true';
}

/** Reads the charts again a moment after events, while the section is shown. */
export function chartsStale(project) {
  clearTimeout(timer);
  timer = setTimeout(() => showCharts(project).catch(() => {}), 1000);
}

export function resizeCharts() {
  for (const c of charts.values()) if (!c.isDisposed()) c.resize();
}
