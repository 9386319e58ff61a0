// Pan by dragging the background, zoom with the wheel (around the pointer) or the +/−/0 keys.
const FAR_SCALE = 0.35;

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
        this.zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
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

  /** Fits content of the given size into the surface (never enlarging past 1:1). */
  fit(width: number, height: number): void {
    const box = this.surface.getBoundingClientRect();
    this.scale = Math.min(1, box.width / Math.max(width, 1), box.height / Math.max(height, 1)) || 1;
    this.x = (box.width - width * this.scale) / 2;
    this.y = Math.max(0, (box.height - height * this.scale) / 2);
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
