import { parseAllDocuments } from "/work/main/node_modules/yaml";
import { parseManifest } from '/work/main/src/core/parse/manifest';
import { Workspace } from '/work/main/src/core/workspace';
const doc = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: ns${i % 50}\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80, targetPort: http}]\n`;
const text = Array.from({length: 10000}, (_, i) => doc(i)).join('---\n');
for (let k = 0; k < 3; k++) {
let t0 = Date.now(); parseAllDocuments(text); console.log('yaml', Date.now() - t0);
t0 = Date.now(); parseManifest('f', text); console.log('parseManifest', Date.now() - t0);
t0 = Date.now(); new Workspace().set('f', text); console.log('ws.set', Date.now() - t0);
}
