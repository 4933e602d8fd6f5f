export { type MatmulBackend, checkGemmShapes } from "./backend.js";
export { JsMatmul, gemmSync } from "./js-matmul.js";
