import ELK from 'elkjs/lib/elk.bundled.js';
const elk = new ELK();
for (let round = 0; round < 5; round++) {
  const t = performance.now();
  const children = Array.from({ length: 42 }, (_, i) => ({ id: 'n' + i, width: 160, height: 40 }));
  const edges = Array.from({ length: 30 }, (_, i) => ({ id: 'e' + i, sources: ['n' + i], targets: ['n' + (i + 1)] }));
  await elk.layout({ id: 'r', layoutOptions: { 'elk.algorithm': 'layered' }, children, edges });
  console.log(round, (performance.now() - t).toFixed(1));
}
