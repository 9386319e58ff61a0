// Where the layout put each node and edge: the result both layouts (tree and dagre) produce and render draws.
export interface Placed {
  nodes: Map<string, { x: number; y: number }>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}
