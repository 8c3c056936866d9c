// format.js: numbers as a person reads them. Pure functions of their arguments (no DOM, no
// state); "–" stands for a value not measured yet.

/** 0.973 → "97.3 %" (a no-break space before the sign, so they never part). */
export function percent(x) {
  return x == null ? "–" : `${(x * 100).toFixed(1)}\u00a0%`;
}

/** A share shown without decimals: 0.5 → "50 %". */
export function wholePercent(x) {
  return x == null ? "–" : `${Math.round(x * 100)}\u00a0%`;
}

/** `x` with `digits` decimals; a value that rounds to zero reads "0.0", never "-0.0". */
export function fixed(x, digits) {
  return x == null ? "–" : x.toFixed(digits).replace(/^-(?=0(\.0*)?$)/, "");
}

/** 12000 → "12,000". */
export function count(n) {
  return n == null ? "–" : n.toLocaleString("en");
}

/** 6 → "$6.00", 1234.5 → "$1,234.50". */
export function dollars(x) {
  return x == null ? "–" : x.toLocaleString("en", { style: "currency", currency: "USD" });
}

/** Seconds as a clock reads: "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function duration(seconds) {
  if (seconds == null) return "–";
  const s = Math.round(seconds);
  if (s < 60) return seconds > 0 && seconds < 10 ? `${seconds.toFixed(1)} s` : `${s} s`;
  const [m, h, d] = [Math.floor(s / 60), Math.floor(s / 3600), Math.floor(s / 86400)];
  if (s < 3600) return `${m} min ${s % 60} s`;
  if (s < 86400) return `${h} h ${m % 60} min`;
  return `${d} d ${h % 24} h`;
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/**
 * A p-value to two significant digits: "0.50", "0.0085", and below 0.001 in powers of ten,
 * "1.5 × 10⁻⁶". Zero (a tail below the smallest double) reads "< 10⁻³⁰⁰".
 */
export function pValue(p) {
  if (p == null) return "–";
  if (p === 0) return `< 10${superscript("-300")}`;
  if (p >= 0.001) return p.toPrecision(2);
  const [mantissa, exponent] = p.toExponential(1).split("e");
  return `${mantissa} × 10${superscript(String(Number(exponent)))}`;
}

function superscript(digits) {
  return [...digits].map((c) => SUPERSCRIPT[c] ?? c).join("");
}

/** The longest unbroken run of characters a notice shows before cutting it. */
const LONGEST_WORD = 80;

/**
 * `text` with every run of non-space characters longer than `longest` cut to that length
 * plus "…", so a 10 kB value pasted into the address cannot widen the box that quotes it.
 */
export function clip(text, longest = LONGEST_WORD) {
  return text.replace(/\S+/g, (word) => {
    const chars = [...word]; // code points, so no surrogate pair is split
    return chars.length > longest ? `${chars.slice(0, longest).join("")}…` : word;
  });
}
