// Pan by dragging the background or with the wheel (Shift+wheel sideways), zoom with Ctrl+wheel or a trackpad pinch
// (around the pointer) or the +/−/0 keys. A fit never shrinks the graph past readable labels: a graph taller (or
// wider) than the view opens on its subject and scrolls, where fitted whole it showed blank boxes.
const FAR_SCALE = 0.35;
/** The smallest scale a fit chooses: 12 px labels stay 6 px high, and a default-depth chain (four columns) still fits a 1000 px editor. */
const READABLE_SCALE = 0.5;
/** Pixels per line or page when a wheel reports lines (deltaMode 1) or pages (2). */
const LINE_PX = 16;

export class PanZoom {
  private frame: number | undefined;
  private x = 0;
  private y = 0;
  private scale = 1;

  constructor(
    private readonly surface: SVGSVGElement,
    private readonly content: SVGGElement,
  ) {
    surface.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const box = surface.getBoundingClientRect();
        // A pinch on a trackpad arrives as a wheel event with ctrlKey set.
        if (event.ctrlKey || event.metaKey) {
          this.zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
          return;
        }
        const unit = event.deltaMode === 1 ? LINE_PX : event.deltaMode === 2 ? box.height : 1;
        const sideways = event.shiftKey && event.deltaX === 0;
        this.x -= (sideways ? event.deltaY : event.deltaX) * unit;
        this.y -= (sideways ? 0 : event.deltaY) * unit;
        this.apply();
      },
      { passive: false },
    );
    let drag: { x: number; y: number } | undefined;
    surface.addEventListener('pointerdown', (event) => {
      if ((event.target as Element).closest('.node')) return;
      drag = { x: event.clientX - this.x, y: event.clientY - this.y };
      surface.setPointerCapture(event.pointerId);
    });
    surface.addEventListener('pointermove', (event) => {
      if (!drag) return;
      this.x = event.clientX - drag.x;
      this.y = event.clientY - drag.y;
      this.apply();
    });
    surface.addEventListener('pointerup', () => (drag = undefined));
  }

  zoomAt(factor: number, px: number, py: number): void {
    const next = Math.min(4, Math.max(0.1, this.scale * factor));
    this.x = px - ((px - this.x) * next) / this.scale;
    this.y = py - ((py - this.y) * next) / this.scale;
    this.scale = next;
    this.apply();
  }

  /**
   * Fits content of the given size into the surface, never enlarging past 1:1 nor shrinking past READABLE_SCALE.
   * Content that does not fit then shows around `focus` (the subject), kept to the surface's edges.
   */
  fit(width: number, height: number, focus?: { x: number; y: number }): void {
    const box = this.surface.getBoundingClientRect();
    const whole = Math.min(1, box.width / Math.max(width, 1), box.height / Math.max(height, 1)) || 1;
    this.scale = Math.max(whole, READABLE_SCALE);
    this.x = placed(box.width, width * this.scale, (focus?.x ?? width / 2) * this.scale);
    this.y = placed(box.height, height * this.scale, (focus?.y ?? height / 2) * this.scale);
    this.apply();
  }

  /** Pans so that the point (x, y) of the content is visible. */
  reveal(x: number, y: number): void {
    const box = this.surface.getBoundingClientRect();
    const sx = x * this.scale + this.x;
    const sy = y * this.scale + this.y;
    if (sx < 40 || sx > box.width - 40) this.x += box.width / 2 - sx;
    if (sy < 40 || sy > box.height - 40) this.y += box.height / 2 - sy;
    this.apply();
  }

  /** Writes the transform once per frame, however many pointer or wheel events arrived in between. */
  private apply(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.content.setAttribute('transform', `translate(${this.x},${this.y}) scale(${this.scale})`);
      // Text under ~4 px cannot be read but costs most of a repaint: far out, only the boxes and edges are drawn.
      this.surface.classList.toggle('far', this.scale < FAR_SCALE);
    });
  }
}

/** Where content of `size` starts in a view of `view`: centred when it fits, else with `focus` as near the middle as its edges allow. */
function placed(view: number, size: number, focus: number): number {
  if (size <= view) return (view - size) / 2;
  return Math.min(0, Math.max(view - size, view / 2 - focus));
}
