/**
 * The dashboard's only browser code, served as `/self-healing/assets/dashboard.js`. Pages are
 * rendered on the server; this script keeps them live (server-sent events from `/api/events`,
 * then the changed regions fetched again as HTML), asks for and remembers an API key, triggers a
 * healing scan and saves pattern edits through the API. Plain ES2020, no build step, no imports.
 */
export const CLIENT_SCRIPT = String.raw`'use strict';
(function () {
  var KEY_COOKIE = 'megamind_key';
  var base = document.body.getAttribute('data-base') || '/self-healing';
  var live = document.getElementById('live');

  function readKey() {
    var parts = document.cookie.split(';');
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim();
      if (part.indexOf(KEY_COOKIE + '=') === 0) return decodeURIComponent(part.slice(KEY_COOKIE.length + 1)) || null;
    }
    return null;
  }
  function saveKey(key) {
    document.cookie = KEY_COOKIE + '=' + encodeURIComponent(key) + '; path=/; SameSite=Strict';
  }
  function forgetKey() {
    document.cookie = KEY_COOKIE + '=; path=/; SameSite=Strict; max-age=0';
  }
  function headers(extra) {
    var h = Object.assign({ accept: 'application/json' }, extra || {});
    var key = readKey();
    if (key) h.authorization = 'Bearer ' + key;
    return h;
  }
  function setLive(text, state) {
    if (!live) return;
    live.textContent = text;
    live.setAttribute('data-state', state);
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  async function apiError(response) {
    var body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    var message = body && body.error && body.error.message ? body.error.message : 'the API answered ' + response.status;
    if (response.status === 501) return 'Not available yet: ' + message;
    if (response.status === 403) return 'Your API key may not do this: ' + message;
    if (response.status === 401) return 'This needs an API key: ' + message;
    return message + ' (' + response.status + ')';
  }

  // ---- API key -------------------------------------------------------------------------------
  var keyForm = document.getElementById('key-form');
  if (keyForm) {
    keyForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var input = document.getElementById('api-key');
      if (input && input.value) { saveKey(input.value.trim()); location.reload(); }
    });
  }
  var forget = document.getElementById('forget-key');
  if (forget && readKey()) {
    forget.hidden = false;
    forget.addEventListener('click', function () { forgetKey(); location.reload(); });
  }

  // ---- live regions ----------------------------------------------------------------------------
  var pending = null;
  var refreshing = false;
  async function refreshRegions() {
    pending = null;
    if (refreshing) { schedule(); return; }
    refreshing = true;
    try {
      var regions = document.querySelectorAll('[data-region]');
      for (var i = 0; i < regions.length; i++) {
        var region = regions[i];
        // Never swap a region under the user's hands (an open select, a focused field).
        if (region.contains(document.activeElement) && document.activeElement !== document.body) continue;
        var params = new URLSearchParams(location.search);
        params.set('region', region.getAttribute('data-region'));
        var response = await fetch(location.pathname + '?' + params.toString(), { headers: { accept: 'text/html' }, credentials: 'same-origin' });
        if (!response.ok) continue;
        var holder = document.createElement('div');
        holder.innerHTML = await response.text();
        var fresh = holder.firstElementChild;
        if (fresh && region.isConnected) region.replaceWith(fresh);
      }
      document.dispatchEvent(new CustomEvent('megamind:refreshed'));
    } finally {
      refreshing = false;
    }
  }
  function schedule() {
    if (pending === null) pending = setTimeout(refreshRegions, 600);
  }
  // Times shown as "12 s ago" age even when nothing happens, and the progress of jobs another
  // process runs (only their ends arrive as events) shows within a few seconds.
  setInterval(schedule, 5000);

  async function listen() {
    var lastId = null;
    var failures = 0;
    for (;;) {
      try {
        var h = headers({ accept: 'text/event-stream' });
        if (lastId !== null) h['last-event-id'] = lastId;
        var response = await fetch('/api/events', { headers: h, credentials: 'same-origin' });
        if (response.status === 401 || response.status === 403 || response.status === 404 || response.status === 501) {
          setLive('live updates unavailable (' + response.status + ')', 'off');
          return;
        }
        if (!response.ok || !response.body) throw new Error('status ' + response.status);
        setLive('live', 'on');
        failures = 0;
        var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        var buffer = '';
        for (;;) {
          var chunk = await reader.read();
          if (chunk.done) break;
          buffer += chunk.value.replace(/\r\n/g, '\n');
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            var block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            var lines = block.split('\n');
            var isEvent = false;
            for (var j = 0; j < lines.length; j++) {
              if (lines[j].indexOf('id:') === 0) lastId = lines[j].slice(3).trim();
              if (lines[j].indexOf('data:') === 0) isEvent = true;
            }
            if (isEvent) schedule();
          }
        }
      } catch (e) {
        failures++;
      }
      setLive('reconnecting…', 'retry');
      await new Promise(function (resolve) { setTimeout(resolve, Math.min(10000, 1000 * Math.pow(2, failures))); });
    }
  }
  if (document.querySelector('[data-region]')) listen();

  // ---- filters submit on change --------------------------------------------------------------
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute('data-autosubmit') && target.form) target.form.submit();
  });

  // ---- healing scan ----------------------------------------------------------------------------
  function renderScan(output, report) {
    output.textContent = '';
    // The self-healer answers { scanned, results }; a healer may also answer the list itself.
    if (Array.isArray(report)) report = { scanned: report.length, results: report };
    var results = report.results || [];
    output.appendChild(el('p', 'Scanned ' + report.scanned + ' job' + (report.scanned === 1 ? '' : 's') + ', acted on ' + results.length + '.', 'scan-summary'));
    if (results.length === 0) return;
    var list = el('ul', null, 'scan-results');
    results.forEach(function (r) {
      var item = el('li');
      var link = el('a', String(r.jobId).slice(0, 8));
      link.href = base + '/jobs/' + encodeURIComponent(r.jobId);
      item.appendChild(link);
      var pattern = r.pattern ? (r.pattern.known === false || r.pattern.new === true ? 'new pattern' : 'known pattern') : 'no pattern';
      var applied = r.applied && typeof r.applied === 'object' ? r.applied.action : r.applied;
      var detected = r.detected && typeof r.detected === 'object' ? (r.detected.category || r.detected.message) : r.detected;
      item.appendChild(document.createTextNode(' ' + [detected, pattern, applied ? 'applied ' + applied : 'nothing applied', r.outcome].filter(Boolean).join(' · ')));
      if (r.message || r.reason) item.appendChild(el('span', ' — ' + (r.message || r.reason), 'muted'));
      list.appendChild(item);
    });
    output.appendChild(list);
  }
  var scan = document.getElementById('scan-button');
  if (scan) {
    scan.addEventListener('click', async function () {
      var output = document.getElementById('scan-result');
      scan.disabled = true;
      output.textContent = 'Scanning…';
      try {
        var response = await fetch('/functions/v1/' + scan.getAttribute('data-function'), {
          method: 'POST',
          headers: headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ mode: 'auto' }),
        });
        if (!response.ok) { output.textContent = await apiError(response); return; }
        renderScan(output, await response.json());
        schedule();
      } catch (e) {
        output.textContent = 'The scan could not be sent: ' + e.message;
      } finally {
        scan.disabled = false;
      }
    });
  }

  // ---- pattern edits ---------------------------------------------------------------------------
  var edit = document.getElementById('edit-pattern');
  if (edit) {
    edit.addEventListener('submit', async function (event) {
      event.preventDefault();
      var output = document.getElementById('edit-result');
      var text = function (name) { var v = edit.elements[name].value.trim(); return v === '' ? null : v; };
      var remedies = edit.elements.remedies.value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      output.textContent = 'Saving…';
      try {
        var response = await fetch('/api/patterns/' + encodeURIComponent(edit.getAttribute('data-pattern-id')), {
          method: 'PATCH',
          headers: headers({ 'content-type': 'application/json' }),
          body: JSON.stringify({ rootCause: text('rootCause'), remedies: remedies, prevention: text('prevention') }),
        });
        output.textContent = response.ok ? 'Saved.' : await apiError(response);
        if (response.ok) schedule();
      } catch (e) {
        output.textContent = 'Not saved: ' + e.message;
      }
    });
  }
})();
`;
