export { runSingleSwitchDemo, type DemoResult, type DemoOptions } from './demo/single-switch.js';
export { DEMO_TOPOLOGY, type DemoTopology, type DemoHostSpec } from './demo/topology.js';
export { runLabDemo, type LabDemoResult, type LabDemoOptions } from './demo/lab-demo.js';
export { labNodeController } from './lab/node-controller.js';
export { daemonEnv } from './daemon-env.js';
