export { describeStoreUrl } from "./describe-store-url.js";
export { type OpenedStore, openStore, storeUrlForms } from "./open-store.js";
export { type SelectedModels, selectModels } from "./select-models.js";
