// The hub's status page: reads the hub MBean (io.customerhub:type=Hub) through Jolokia on the management server every
// five seconds and calls its operations. Text only goes into the page as text (textContent), never as markup.
'use strict';

const jolokia = document.body.dataset.jolokia;
const MBEAN = 'io.customerhub:type=Hub';

async function hub(request) {
  const response = await fetch(jolokia, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(Object.assign({mbean: MBEAN}, request))
  });
  const answer = await response.json();
  if (answer.status !== 200) {
    throw new Error(answer.error || 'HTTP ' + response.status);
  }
  return answer.value;
}

function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) {
    e.textContent = text;
  }
  if (className) {
    e.className = className;
  }
  return e;
}

function number(n) {
  return Number(n).toLocaleString('en');
}

function say(text, error) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = error ? 'error' : '';
}

async function operate(operation, ...args) {
  try {
    say(await hub({type: 'exec', operation: operation, arguments: args}));
  } catch (e) {
    say(operation + ' failed: ' + e.message, true);
  }
  await refresh();
}

function action(label, operation, ...args) {
  const button = element('button', label);
  button.dataset.action = operation;
  button.addEventListener('click', () => operate(operation, ...args));
  return button;
}

function bar(label, value, share, low) {
  const row = element('div', null, 'bar');
  row.appendChild(element('span', label));
  const track = element('span');
  const fill = element('div', null, low ? 'fill low' : 'fill');
  fill.style.width = Math.max(0, Math.min(100, share * 100)) + '%';
  track.appendChild(fill);
  row.appendChild(track);
  row.appendChild(element('span', value, 'value'));
  return row;
}

function renderSources(status) {
  const body = document.querySelector('#sources tbody');
  body.replaceChildren();
  for (const source of status.sources) {
    const row = element('tr');
    row.dataset.source = source.name;
    row.appendChild(element('td', source.name));
    row.appendChild(element('td', source.ingest || '–', 'state-' + source.ingest));
    row.appendChild(element('td', source.sync || '–', 'state-' + source.sync));
    for (const outcome of ['created', 'updated', 'unchanged', 'quarantined', 'duplicates']) {
      row.appendChild(element('td', number(source.records[outcome])));
    }
    row.appendChild(element('td', source.lastSuccess ? new Date(source.lastSuccess).toLocaleTimeString('en-GB') : '–'));
    row.appendChild(element('td', number(source.openQuarantine), 'open-quarantine'));
    row.appendChild(element('td', source.outbox
        ? source.outbox.pending + ' pending, ' + source.outbox.failed + ' failed, ' + source.outbox.dead + ' dead'
          + (source.outbox.lagSeconds ? ', ' + source.outbox.lagSeconds + ' s behind' : '')
        : '–'));
    const actions = element('td');
    const paused = source.ingest === 'Suspended' || source.sync === 'Suspended';
    actions.appendChild(paused ? action('Resume', 'resume', source.name) : action('Pause', 'pause', source.name));
    if (source.openQuarantine > 0) {
      actions.appendChild(action('Replay quarantine', 'replayQuarantine', source.name));
    }
    if (source.watermark) {
      actions.appendChild(action('Re-read', 'reread', source.name));
    }
    row.appendChild(actions);
    body.appendChild(row);
  }
}

function renderReasons(status) {
  const reasons = document.getElementById('reasons');
  reasons.replaceChildren();
  const entries = Object.entries(status.quarantineByRule || {});
  if (entries.length === 0) {
    reasons.appendChild(element('p', 'No open quarantine entries.', 'note'));
  }
  const most = Math.max(1, ...entries.map(([, n]) => n));
  for (const [rule, n] of entries) {
    reasons.appendChild(bar(rule, number(n), n / most, false));
  }
}

function renderQuality(quality) {
  const all = document.getElementById('quality');
  all.replaceChildren();
  for (const [name, source] of Object.entries(quality)) {
    const box = element('div', null, 'bars quality');
    box.dataset.source = name;
    box.appendChild(element('h3', name + ': ' + number(source.records) + ' records, '
        + (source.duplicateRate * 100).toFixed(1) + '% duplicates'));
    for (const [field, share] of Object.entries(source.completeness)) {
      const invalid = (source.invalid || {})[field];
      box.appendChild(bar(field, (share * 100).toFixed(0) + '%' + (invalid ? ', ' + invalid + ' invalid' : ''), share, share < 0.5));
    }
    all.appendChild(box);
  }
}

async function refresh() {
  try {
    const status = JSON.parse(await hub({type: 'read', attribute: 'Status'}));
    document.getElementById('golden').textContent = number(status.goldenRecords);
    document.getElementById('quarantine').textContent = number(status.openQuarantine);
    document.getElementById('reviews').textContent = number(status.openReviews);
    renderSources(status);
    renderReasons(status);
    renderQuality(JSON.parse(await hub({type: 'read', attribute: 'DataQuality'})));
    document.getElementById('home').textContent = await hub({type: 'read', attribute: 'Home'});
    document.getElementById('updated').textContent = 'updated ' + new Date(status.at).toLocaleTimeString('en-GB');
  } catch (e) {
    say('The hub does not answer: ' + e.message, true);
  }
}

refresh();
setInterval(refresh, 5000);
