/**
 * /admin, /admin/delete_topics and /admin/delete_topics/<topic> (Kafka's AdminZNode, DeleteTopicsZNode,
 * DeleteTopicsTopicZNode): a persistent node with no data per topic marked for deletion. The controller watches
 * the children of /admin/delete_topics and removes a marker when the deletion completes.
 */
export const AdminZNode = {
  path: (): string => '/admin',
} as const;

export const DeleteTopicsZNode = {
  path: (): string => `${AdminZNode.path()}/delete_topics`,
} as const;

export const DeleteTopicsTopicZNode = {
  path: (topic: string): string => `${DeleteTopicsZNode.path()}/${topic}`,
} as const;
