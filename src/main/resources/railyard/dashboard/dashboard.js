// The Railyard dashboard: reads the query API of the server that serves it and redraws every
// REFRESH_MS. Every value from the API goes into the page as text (textContent), never as markup.
"use strict";

const REFRESH_MS = 10000;
const TOP_KEYS = 5;
const CHART_HOURS = 24;
const MAX_SERIES_PAGES = 5;
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];
const chosenMetric = new Map(); // view -> metric
const charts = new Map(); // view -> uPlot

function token() {
  return sessionStorage.getItem("railyard.token");
}

async function api(path) {
  const headers = {};
  if (token()) {
    headers["Authorization"] = "Bearer " + token();
  }
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("this server needs a bearer token");
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || "HTTP " + response.status);
  }
  return body;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function age(seconds) {
  if (seconds < 120) return Math.round(seconds) + " s";
  if (seconds < 7200) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h";
  return Math.round(seconds / 86400) + " d";
}

function renderFreshness(freshness) {
  const body = document.querySelector("#freshness tbody");
  body.replaceChildren();
  for (const view of freshness.views) {
    const row = document.createElement("tr");
    row.dataset.view = view.view;
    cell(row, view.view);
    cell(row, view.newestWindowEnd);
    cell(row, view.newestComputedAt);
    cell(row, age(view.ageSeconds), "number");
    body.appendChild(row);
  }
}

// The pipeline's reserved health view: counts a minute (see HealthView in the sources).
const HEALTH_VIEW = "_health";

function renderDeadLetters(latest) {
  const body = document.querySelector("#dead-letters tbody");
  body.replaceChildren();
  const row = latest && latest.rows && latest.rows[0];
  document.getElementById("health-note").hidden = Boolean(row);
  if (!row) return;
  const received = row.metrics.received || 0;
  const dead = row.metrics.dead_letters || 0;
  const tr = document.createElement("tr");
  cell(tr, latest.window.start + " – " + latest.window.end);
  cell(tr, String(received), "number received");
  cell(tr, String(dead), "number dead-letters");
  cell(tr, received > 0 ? (100 * dead / received).toFixed(2) + " %" : "–", "number rate");
  cell(tr, String(row.metrics.unique || 0), "number");
  body.appendChild(tr);
}

// Incidents still open: the pipeline's rules and the query service's watchdog (see /v1/alerts).
function renderAlerts(alerts) {
  const body = document.querySelector("#alerts tbody");
  body.replaceChildren();
  document.getElementById("alerts-note").hidden = alerts.alerts.length > 0;
  for (const alert of alerts.alerts) {
    const row = document.createElement("tr");
    row.dataset.alert = alert.id;
    row.className = "alert " + alert.severity;
    cell(row, alert.severity, "severity");
    cell(row, alert.openedAt);
    cell(row, alert.pipeline);
    cell(row, alert.rule, "rule");
    cell(row, alert.view + (alert.key ? " [" + alert.key + "]" : ""));
    cell(row, String(alert.value), "number");
    cell(row, alert.message, "message");
    body.appendChild(row);
  }
}

function sectionFor(view) {
  const id = "view-" + encodeURIComponent(view.name);
  let section = document.getElementById(id);
  if (!section) {
    section = document.getElementById("view-template").content.firstElementChild.cloneNode(true);
    section.id = id;
    section.dataset.view = view.name;
    section.querySelector(".view-name").textContent = view.name;
    section.querySelector(".metric").addEventListener("change", (event) => {
      chosenMetric.set(view.name, event.target.value);
      refresh();
    });
    document.getElementById("views").appendChild(section);
  }
  const select = section.querySelector(".metric");
  const metrics = ["event_count", ...view.metrics];
  if (select.options.length !== metrics.length) {
    select.replaceChildren();
    for (const metric of metrics) {
      const option = document.createElement("option");
      option.value = metric;
      option.textContent = metric;
      select.appendChild(option);
    }
  }
  select.value = chosenMetric.get(view.name) || defaultMetric(view);
  section.querySelector(".view-info").textContent =
    view.rows + " rows, windows from " + view.firstWindowStart + " to " + view.lastWindowEnd +
    "; key: " + view.key;
  return section;
}

// A view's rows count what it grouped; the health view's event_count is not the events
// received, so its chart starts on the received column.
function defaultMetric(view) {
  return view.name === HEALTH_VIEW && view.metrics.includes("received") ? "received" : "event_count";
}

// The window starts to chart: the served ones, and after each run of them that stops short of the
// next, one more start with no values, so a line breaks where windows hold no data instead of
// being drawn straight across them. The step is the shortest distance between two served starts.
function chartStarts(served) {
  let step = Infinity;
  for (let i = 1; i < served.length; i++) step = Math.min(step, served[i] - served[i - 1]);
  const starts = [];
  served.forEach((start, i) => {
    starts.push(start);
    if (i + 1 < served.length && served[i + 1] - start > step) starts.push(start + step);
  });
  return starts;
}

function valueOf(row, metric) {
  const value = metric === "event_count" ? row.eventCount : row.metrics[metric];
  return typeof value === "number" ? value : null;
}

function renderTop(section, top, latest) {
  section.querySelector(".window").textContent =
    latest.window ? latest.window.start + " – " + latest.window.end : "(none yet)";
  section.querySelector(".value-name").textContent = top ? top.metric : "value";
  const body = section.querySelector(".top tbody");
  body.replaceChildren();
  (top ? top.rows : []).forEach((row, i) => {
    const tr = document.createElement("tr");
    tr.dataset.key = row.key;
    cell(tr, String(i + 1), "number");
    cell(tr, row.key, "key");
    cell(tr, row.value === null ? "–" : String(row.value), "number value");
    cell(tr, String(row.eventCount), "number");
    cell(tr, row.layer);
    cell(tr, row.pane);
    body.appendChild(tr);
  });
}

async function readSeries(view, keys, from, to) {
  const rows = [];
  let pageToken = null;
  for (let page = 0; page < MAX_SERIES_PAGES; page++) {
    const query = new URLSearchParams();
    keys.forEach((key) => query.append("key", key));
    query.set("from", from);
    query.set("to", to);
    query.set("limit", "5000");
    if (pageToken) query.set("pageToken", pageToken);
    const series = await api("/v1/views/" + encodeURIComponent(view) + "/series?" + query);
    rows.push(...series.rows);
    pageToken = series.nextPageToken;
    if (!pageToken) break;
  }
  return rows;
}

function renderChart(section, view, metric, keys, rows) {
  const starts = chartStarts(
      [...new Set(rows.map((row) => Date.parse(row.windowStart)))].sort((a, b) => a - b));
  const index = new Map(starts.map((start, i) => [start, i]));
  const data = [starts.map((start) => start / 1000)];
  for (const key of keys) {
    const values = new Array(starts.length).fill(null);
    for (const row of rows) {
      if (row.key === key) values[index.get(Date.parse(row.windowStart))] = valueOf(row, metric);
    }
    data.push(values);
  }
  const chart = section.querySelector(".chart");
  chart.dataset.metric = metric;
  chart.dataset.keys = JSON.stringify(keys);
  chart.dataset.points = String(rows.length);
  chart.dataset.values = JSON.stringify(data.slice(1));
  const legend = section.querySelector(".legend");
  legend.replaceChildren();
  keys.forEach((key, i) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = COLORS[i % COLORS.length];
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(key));
    legend.appendChild(item);
  });
  const old = charts.get(view);
  if (old) old.destroy();
  const options = {
    width: Math.max(400, Math.min(1100, window.innerWidth - 80)),
    height: 260,
    legend: { show: false },
    scales: { x: { time: true } },
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
    series: [{}, ...keys.map((key, i) =>
        ({ label: key, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false }))],
  };
  charts.set(view, new uPlot(options, data, chart));
}

async function refreshView(view) {
  const section = sectionFor(view);
  const metric = section.querySelector(".metric").value;
  const name = encodeURIComponent(view.name);
  const latest = await api("/v1/views/" + name + "/latest");
  let top = null;
  if (latest.window) {
    const query = new URLSearchParams({ window: latest.window.start, metric, n: String(TOP_KEYS) });
    top = await api("/v1/views/" + name + "/top?" + query);
  }
  renderTop(section, top, latest);
  const keys = top ? top.rows.map((row) => row.key) : [];
  if (keys.length === 0) {
    section.querySelector(".chart").dataset.points = "0";
    return;
  }
  const to = Date.parse(view.lastWindowEnd);
  const from = Math.max(Date.parse(view.firstWindowStart), to - CHART_HOURS * 3600 * 1000);
  const rows = await readSeries(view.name, keys, new Date(from).toISOString(), new Date(to).toISOString());
  renderChart(section, view.name, metric, keys, rows);
}

async function refresh() {
  const status = document.getElementById("status");
  try {
    const [views, freshness, alerts] = await Promise.all(
        [api("/v1/views"), api("/v1/freshness"), api("/v1/alerts")]);
    renderAlerts(alerts);
    document.getElementById("views-note").hidden = views.views.length > 0;
    renderFreshness(freshness);
    const hasHealth = views.views.some((view) => view.name === HEALTH_VIEW);
    renderDeadLetters(hasHealth ? await api("/v1/views/" + HEALTH_VIEW + "/latest") : null);
    for (const view of views.views) {
      await refreshView(view);
    }
    status.className = "";
    status.textContent = "Updated " + new Date().toISOString() + "; refreshes every " + REFRESH_MS / 1000 + " s";
  } catch (error) {
    status.className = "error";
    status.textContent = "Cannot refresh: " + error.message;
  } finally {
    document.body.dataset.ready = "true";
  }
}

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("railyard.token", document.getElementById("token").value);
  document.getElementById("token-form").hidden = true;
  refresh();
});

refresh();
setInterval(refresh, REFRESH_MS);
