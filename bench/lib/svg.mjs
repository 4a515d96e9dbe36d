// Hand-written SVG chart: MB/s against the number of secrets, both axes log scale,
// one line per contender, ceilings as horizontal dashed lines.
import { fmtMbps } from './targets.mjs';

const W = 1060;
const H = 560;
const M = { left: 78, right: 420, top: 54, bottom: 62 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const plain = (s) => String(s).replace(/`/g, '');

const SERIES = [
  { contender: 'sf-stream', variants: true, name: 'scrub-filter stream(), variants on', color: '#d62728', width: 3 },
  { contender: 'sf-stream', variants: false, name: 'scrub-filter stream(), variants off', color: '#ff7f0e', width: 3 },
  { contender: 'peer-string-replace', name: 'String.prototype.replace (RegExp alternation)', color: '#1f77b4' },
  { contender: 'peer-replacestream-re', name: 'replacestream (RegExp alternation)', color: '#2ca02c' },
  { contender: 'peer-replacestream-chain', name: 'replacestream (chain of N streams)', color: '#98df8a' },
  { contender: 'peer-monyone-stream', name: '@monyone/aho-corasick stream', color: '#9467bd' },
  { contender: 'peer-modern-replace', name: 'modern-ahocorasick replace()', color: '#8c564b' },
  { contender: 'peer-modern-replace-ascii', name: 'modern-ahocorasick replace(), ASCII-only input', color: '#c49c94', dash: '2 3' },
  { contender: 'peer-modern-stream', name: 'modern-ahocorasick Node stream', color: '#e377c2' },
];
const CEILINGS = [
  { contender: 'ceil-indexof', name: 'Buffer.indexOf, 1 pattern', color: '#555' },
  { contender: 'ceil-loop', name: 'JS loop, every byte once', color: '#888', kind: 'baseline, not a ceiling' },
  { contender: 'ceil-passthrough', name: 'PassThrough stream', color: '#bbb' },
];

export function renderSvg(results) {
  const rows = results.throughput.filter((r) => r.mbps && Number.isFinite(r.mbps.median) && r.mbps.median > 0);
  const values = rows.map((r) => r.mbps.median);
  const yMinExp = Math.floor(Math.log10(Math.min(...values, 1)));
  const yMaxExp = Math.ceil(Math.log10(Math.max(...values, 10)));
  const xMinExp = 0;
  const xMaxExp = 5;
  const x = (n) => M.left + ((Math.log10(n) - xMinExp) / (xMaxExp - xMinExp)) * PW;
  const y = (v) => M.top + PH - ((Math.log10(v) - yMinExp) / (yMaxExp - yMinExp)) * PH;
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  const m = results.meta.machine;
  o.push(`<text x="${M.left}" y="22" font-size="15" font-weight="600">Throughput against number of secrets (${(results.meta.inputBytes / 2 ** 20).toFixed(0)} MiB log, 64 KiB chunks)${results.meta.quick ? ' — quick mode' : ''}</text>`);
  o.push(`<text x="${M.left}" y="40" fill="#555">${esc(`${m.cpu}, ${m.cores} cores, Node ${m.node}, ${results.meta.date.slice(0, 10)}; peers on a prefix where slow (see table)`)}</text>`);
  // Grid and axes.
  for (let e = yMinExp; e <= yMaxExp; e++) {
    const yy = y(10 ** e);
    o.push(`<line x1="${M.left}" y1="${yy}" x2="${M.left + PW}" y2="${yy}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${M.left - 8}" y="${yy + 4}" text-anchor="end">${fmtMbps(10 ** e)}</text>`);
    if (e < yMaxExp) for (let k = 2; k < 10; k++) o.push(`<line x1="${M.left}" y1="${y(k * 10 ** e)}" x2="${M.left + PW}" y2="${y(k * 10 ** e)}" stroke="#f4f4f4"/>`);
  }
  for (let e = xMinExp; e <= xMaxExp; e++) {
    const xx = x(10 ** e);
    o.push(`<line x1="${xx}" y1="${M.top}" x2="${xx}" y2="${M.top + PH}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${xx}" y="${M.top + PH + 18}" text-anchor="middle">${(10 ** e).toLocaleString('en-US')}</text>`);
  }
  o.push(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#999"/>`);
  o.push(`<text x="${M.left + PW / 2}" y="${H - 18}" text-anchor="middle" font-size="13">number of secrets (log scale)</text>`);
  o.push(`<text transform="translate(20 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle" font-size="13">MB/s (10^6 bytes/s of input, log scale)</text>`);

  const legend = [];
  for (const c of CEILINGS) {
    const r = rows.find((row) => row.contender === c.contender);
    if (!r) continue;
    const yy = y(r.mbps.median);
    o.push(`<line x1="${M.left}" y1="${yy}" x2="${M.left + PW}" y2="${yy}" stroke="${c.color}" stroke-width="1.5" stroke-dasharray="7 5"/>`);
    legend.push({ ...c, dash: '7 5', label: `${c.name} (${c.kind ?? 'ceiling'}): ${fmtMbps(r.mbps.median)}` });
  }
  for (const s of SERIES) {
    const pts = rows
      .filter((r) => r.contender === s.contender && (s.variants === undefined || r.variants === s.variants))
      .sort((a, b) => a.n - b.n);
    if (pts.length === 0) continue;
    const d = pts.map((r, i) => `${i ? 'L' : 'M'}${x(r.n).toFixed(1)} ${y(r.mbps.median).toFixed(1)}`).join(' ');
    o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const r of pts) {
      const title = `${plain(r.label)}, ${r.n} secrets: ${fmtMbps(r.mbps.median)} MB/s (min ${fmtMbps(r.mbps.min)}, max ${fmtMbps(r.mbps.max)})`;
      o.push(`<circle cx="${x(r.n).toFixed(1)}" cy="${y(r.mbps.median).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(title)}</title></circle>`);
    }
    const prefix = pts.some((r) => r.bytes < results.meta.inputBytes) ? ' *' : '';
    legend.push({ ...s, label: s.name + prefix });
  }
  const lx = M.left + PW + 18;
  legend.forEach((l, i) => {
    const ly = M.top + 8 + i * 22;
    o.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${l.color}" stroke-width="${l.width ?? 2}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
    o.push(`<text x="${lx + 32}" y="${ly + 4}">${esc(l.label)}</text>`);
  });
  o.push(`<text x="${lx}" y="${M.top + 8 + legend.length * 22 + 6}" fill="#555">* run on a prefix of the input</text>`);
  o.push('</svg>');
  return o.join('\n') + '\n';
}
