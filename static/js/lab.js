// The failure lab (sandbox only): arm a failure in the simulator, reload, and narrate what the
// embed-page module does about it, from the events it emits (embed:action, embed:ready, embed:token).

const ARMED_KEY = 'lab:armed';

const container = document.querySelector('[data-embed-page]');
const log = document.getElementById('lab-log');
const outcome = document.getElementById('lab-outcome');
const armed = document.getElementById('lab-armed');
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
let actionsSeen = 0;

function note(kind, text) {
  const item = document.createElement('li');
  item.dataset.kind = kind;
  item.textContent = `${clock(new Date())}  ${text}`;
  log.append(item);
}

function setOutcome(state, text) {
  outcome.dataset.outcome = state;
  outcome.textContent = text;
}

function describeAction(d) {
  const what = d.code ?? d.errorCode ?? 'no code';
  const name = d.name ? ` ${d.name}` : '';
  return `${d.action} after ${what}${name} (attempt ${d.attempt})`;
}

const clock = (date) => date.toLocaleTimeString([], { hour12: false });

container.addEventListener('embed:action', (event) => {
  const d = event.detail;
  actionsSeen += 1;
  note(d.action === 'FAIL' ? 'fail' : 'action', describeAction(d));
  if (d.action === 'FAIL') setOutcome('failed', 'Failed: the integrator must fix it');
  else if (d.action === 'LOGIN') setOutcome('working', "Handed over to Tableau's sign-in");
  else setOutcome('working', `Recovering: ${d.action}`);
});

container.addEventListener('embed:ready', () => {
  note('ready', 'firstinteractive: the viz is showing');
  setOutcome(actionsSeen ? 'recovered' : 'loaded', actionsSeen ? 'Recovered' : 'Loaded');
});

container.addEventListener('embed:token', (event) => {
  const d = event.detail;
  note('token', d.ok ? `fresh token from /api/token (expires ${clock(new Date(d.expiresAt * 1000))})`
    : `token request failed (${d.reason}, HTTP ${d.status ?? 'network'})`);
});

async function act(name, body = {}) {
  const response = await fetch(`/lab/actions/${name}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
}

async function run(label, name, body, scenario) {
  setOutcome('working', 'Applying…');
  try {
    if (name) await act(name, body);
    sessionStorage.setItem(ARMED_KEY, label);
    window.location.assign(scenario ? `/lab?scenario=${scenario}` : '/lab');
  } catch (err) {
    setOutcome('failed', 'Could not change the simulator');
    note('fail', `lab: ${err.message}`);
  }
}

for (const button of document.querySelectorAll('[data-lab-action], [data-lab-scenario]')) {
  button.addEventListener('click', () => {
    const { labAction, labScenario, code, mode } = button.dataset;
    const label = button.textContent.replace(/\s+/g, ' ').trim();
    run(label, labAction, { ...(code ? { code } : {}), ...(mode ? { mode } : {}) }, labScenario);
  });
}

document.getElementById('lab-any').addEventListener('submit', (event) => {
  event.preventDefault();
  const select = event.target.elements.code;
  run(`Fail next sign-in: ${select.selectedOptions[0].textContent}`, 'fail-next', { code: select.value });
});

const armedLabel = sessionStorage.getItem(ARMED_KEY);
if (armedLabel) {
  sessionStorage.removeItem(ARMED_KEY);
  armed.textContent = `Armed: ${armedLabel}`;
  armed.hidden = false;
}
