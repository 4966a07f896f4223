export { default } from "@mina-local/eslint-config";
