export * from "./vector-table.js";
