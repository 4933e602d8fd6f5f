export * from "./model-proto.js";
export { ProtoWriter } from "./protobuf.js";
