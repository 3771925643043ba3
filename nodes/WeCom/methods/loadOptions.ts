// Dynamic option lists (departments, tags, users); filled in with the message resource.
export {};
