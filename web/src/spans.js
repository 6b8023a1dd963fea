// Spans from the API are [start, end) in Unicode code points; JS strings are
// UTF-16, so the text is split into code points first (Array.from) and
// every index below is a code-point index. A character outside the BMP
// counts once, as it does on the Rust side.

/**
 * Cuts `text` at every span boundary and returns the pieces in order, each
 * with the classes of the spans covering it. Overlapping spans (a trigger
 * inside a quote) give nested coverage, not lost highlights.
 */
export function segments(text, spans) {
  const cps = Array.from(text);
  const n = cps.length;
  const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start < s.end && s.start >= 0 && s.end <= n);
  const cuts = new Set([0, n]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const classes = [...new Set(valid.filter((s) => s.start <= a && s.end >= b).map((s) => s.cls))];
    out.push({ start: a, end: b, text: cps.slice(a, b).join(''), classes });
  }
  return out;
}
