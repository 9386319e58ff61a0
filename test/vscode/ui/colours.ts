// Colours as the browser computes them, and WCAG's contrast ratio between two of them.
import * as assert from 'node:assert/strict';

export type Rgb = [number, number, number];

/** "rgb(…)"/"rgba(…)" as an opaque colour, a translucent one laid over `under`. */
export function parseColour(text: string, under?: string): Rgb {
  const parts = /rgba?\(([^)]+)\)/
    .exec(text)?.[1]
    ?.split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  assert.ok(parts && parts.length >= 3, `not a colour: ${text}`);
  const [r, g, b, alpha = 1] = parts;
  if (alpha >= 1 || !under) return [r!, g!, b!];
  const base = parseColour(under);
  return [r!, g!, b!].map((c, i) => c * alpha + base[i]! * (1 - alpha)) as Rgb;
}

export function contrast(a: Rgb, b: Rgb): number {
  const luminance = (rgb: Rgb) => {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
}
