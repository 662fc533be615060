/**
 * `logkeeper topics`: Kafka's `kafka-topics.sh` on the cluster of a data directory: create,
 * list, describe, alter (add partitions) and delete topics, with its option names, output
 * layouts and messages. A {@link ClusterCommand}: `shell` runs it on the cluster it holds.
 */
import type { Cluster } from '../../cluster.js'
import { type CommandContext, DATA_DIR_OPTION } from '../command.js'
import { alterTopics, createTopic, deleteTopics, listTopics } from '../kafka/topic-actions.js'
import { describeTopics } from '../kafka/topic-describe.js'
import { readTopicsRequest } from '../kafka/topics-request.js'
import { type ClusterCommand, runOnDataDir } from '../open-cluster.js'

const DETAILS = `Exactly one action: --list, --describe, --create, --alter or --delete. --topic
names one topic for --create, and is a regular expression (commas meaning "or") for the
other actions. Without --partitions or --replication-factor, --create uses the cluster's
num.partitions and default.replication.factor. --alter only adds partitions (new partitions
change which partition a key goes to). --delete marks the topic under /admin/delete_topics;
the controller deletes it when delete.topic.enable is true and leaves it marked otherwise.
Every action but --create needs an existing data directory.

Exit status: 0 done, 1 the request failed (unknown or existing topic, bad value), 2 a
malformed command line (no action or two, an option with the wrong action, not a number).

Examples:
  logkeeper topics --create --topic t01 --partitions 3 --replication-factor 2 \\
    --config retention.ms=604800000
  logkeeper topics --list
  logkeeper topics --describe --topic t01
  logkeeper topics --alter --topic t01 --partitions 4
  logkeeper topics --delete --topic t01`

const flag = (description: string) => ({ type: 'boolean' as const, description })

/** The `topics` command. */
export const topicsCommand: ClusterCommand = {
  name: 'topics',
  summary: 'create, list, describe, alter and delete topics (kafka-topics)',
  usage: [
    'topics --create --topic <topic> [--partitions <n>] [--replication-factor <n>] [--config <k=v>]...',
    'topics --list [--topic <regex>] [--exclude-internal]',
    'topics --describe [--topic <regex>] [--under-replicated-partitions] [--unavailable-partitions]',
    'topics --alter --topic <regex> --partitions <n>',
    'topics --delete --topic <regex> [--if-exists]',
  ],
  details: DETAILS,
  options: {
    create: flag('create a new topic'),
    list: flag('list all available topics'),
    describe: flag('list details for the given topics'),
    alter: flag('alter the number of partitions of the topic'),
    delete: flag('delete a topic'),
    topic: {
      type: 'string',
      valueName: 'topic',
      description: 'the topic to create, alter, describe or delete (a regex but for --create)',
    },
    partitions: {
      type: 'string',
      valueName: 'n',
      description: 'the number of partitions of the topic being created or altered',
    },
    'replication-factor': {
      type: 'string',
      valueName: 'n',
      description: 'the replication factor of each partition of the topic being created',
    },
    config: {
      type: 'string',
      multiple: true,
      valueName: 'name=value',
      description: 'a topic configuration override for the topic being created',
    },
    'if-exists': flag('when altering, deleting or describing, act only if the topic exists'),
    'if-not-exists': flag('when creating, act only if the topic does not exist yet'),
    'exclude-internal': flag('leave internal topics out of --list and --describe'),
    'under-replicated-partitions': flag('with --describe, only under-replicated partitions'),
    'unavailable-partitions': flag('with --describe, only partitions without a live leader'),
    'topics-with-overrides': flag('with --describe, only topics with overridden configs'),
    'data-dir': DATA_DIR_OPTION,
  },
  run(ctx) {
    const { action } = readTopicsRequest(ctx.values, ctx.help)
    return runOnDataDir(topicsCommand, ctx, { mustExist: action !== 'create' })
  },
  async runOn(cluster: Cluster, { io, values, help }: CommandContext) {
    const request = readTopicsRequest(values, help)
    const admin = cluster.admin()
    try {
      switch (request.action) {
        case 'create':
          return void (await createTopic(admin, request, io))
        case 'list':
          return void (await listTopics(cluster, admin, request, io, help))
        case 'describe':
          return void (await describeTopics(cluster, admin, request, io, help))
        case 'alter':
          return void (await alterTopics(admin, request, io, help))
        case 'delete':
          return void (await deleteTopics(cluster, admin, request, io, help))
      }
    } finally {
      await admin.disconnect()
    }
  },
}
