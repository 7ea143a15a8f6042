// Small DOM and formatting helpers for the console. Text is always set as text (never parsed as HTML).

/** h('button', {class: 'x', onclick: f}, 'Label', child...) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Replaces el's content with the children given (null, undefined and false are left out). */
export function fill(el, ...children) {
  clear(el);
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An amount of ETH for reading: at most 3 significant digits below 1 ("0.0000225"), else 6 decimals. */
export function eth(value) {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n < 1 ? String(Number(n.toPrecision(3))) : amount(n.toFixed(6).replace(/\.?0+$/, ''));
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "7 Dec 2026, 09:12" in the viewer's time zone. */
export function when(iso) {
  return iso ? dateTime.format(new Date(iso)) : '';
}

/** "09:12" today, else the date and time. */
export function shortWhen(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? time.format(d) : dateTime.format(d);
}

/** A span of time in words: "2 d 3 h", "3 h 10 min", "4 min", "less than a minute". */
export function span(ms) {
  const m = Math.floor(Math.abs(ms) / 60000);
  if (m < 1) return 'less than a minute';
  const d = Math.floor(m / 1440), hh = Math.floor((m % 1440) / 60), mm = m % 60;
  if (d > 0) return `${d} d ${hh} h`;
  if (hh > 0) return `${hh} h ${mm} min`;
  return `${mm} min`;
}

/** "in 2 d 3 h" or "3 min ago". */
export function relative(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  return ms >= 0 ? `in ${span(ms)}` : `${span(ms)} ago`;
}

/** Groups an amount's integer digits for reading: "12345.5" -> "12,345.5". */
export function amount(units) {
  if (units === null || units === undefined) return '';
  const [i, f] = String(units).split('.');
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return f ? `${grouped}.${f}` : grouped;
}

/** A base-unit integer in units of `decimals` ("1500000000000000000", 18 -> "1.5"), digits grouped. */
export function units(base, decimals) {
  const s = String(base).padStart(decimals + 1, '0');
  const i = s.slice(0, s.length - decimals);
  const f = s.slice(s.length - decimals).replace(/0+$/, '');
  return amount(f ? `${i}.${f}` : i);
}

/** An amount as a person reads it: ETH in ETH; another asset in its base units, said so. */
export function assetAmount(base, asset) {
  return asset === 'ETH' ? `${units(base, 18)} ETH` : `${amount(base)} ${asset} (base units)`;
}

/** 0x1234…abcd for tables; the full address goes in the title. */
export function shortAddress(a) {
  return a && a.length > 14 ? `${a.slice(0, 8)}…${a.slice(-6)}` : (a || '');
}
