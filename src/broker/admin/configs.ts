/**
 * DescribeConfigs and IncrementalAlterConfigs (any broker, as Kafka in ZooKeeper mode).
 * A topic's configs: every topic setting, its value, and where it comes from (`topic` for an
 * override, `broker-static` for a broker default the cluster was configured with, `default`
 * for Kafka's default). A broker's configs: the cluster's broker settings, read-only. Alter:
 * topic configs only, `set` / `delete` applied to the stored overrides, the result validated
 * whole, written to `/config/topics/<t>` with a `/config/changes` notification.
 */
import type {
  ConfigEntry,
  DescribeConfigsRequest,
  DescribeConfigsResponse,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '../api.js'
import {
  BROKER_CONFIG_DEFAULTS,
  type BrokerConfig,
  configValueString,
  parseTopicConfig,
  resolveTopicConfig,
  TOPIC_DEFAULT_FROM,
  topicConfigNames,
} from '../config.js'
import { type AdminContext, duplicates, fail, toResponseError } from './admin-context.js'

type DescribeResult = DescribeConfigsResponse['results'][number]
type AlterResult = IncrementalAlterConfigsResponse['results'][number]

/** Serve DescribeConfigs. */
export async function describeConfigs(
  ctx: AdminContext,
  request: DescribeConfigsRequest,
): Promise<DescribeConfigsResponse> {
  const results: DescribeResult[] = []
  for (const r of request.resources) {
    try {
      const all = r.type === 'topic' ? await topicEntries(ctx, r.name) : brokerEntries(ctx, r.name)
      const configs =
        r.configNames === null ? all : all.filter((e) => r.configNames!.includes(e.name))
      results.push({ type: r.type, name: r.name, configs })
    } catch (err) {
      results.push({ type: r.type, name: r.name, configs: [], ...toResponseError(err) })
    }
  }
  return { results }
}

async function topicEntries(ctx: AdminContext, topic: string): Promise<ConfigEntry[]> {
  if ((await ctx.zk.assignment(topic)) === null) {
    fail('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist.`)
  }
  const raw = await ctx.zk.topicConfig(topic)
  const overrides = parseTopicConfig(raw)
  const resolved = resolveTopicConfig(ctx.config, overrides) as unknown as Record<string, unknown>
  return topicConfigNames().map((name) => {
    const brokerKey = TOPIC_DEFAULT_FROM[name]
    const source =
      raw[name] !== undefined
        ? 'topic'
        : brokerKey !== undefined && ctx.config[brokerKey] !== BROKER_CONFIG_DEFAULTS[brokerKey]
          ? 'broker-static'
          : 'default'
    return {
      name,
      value: configValueString(resolved[name]),
      readOnly: false,
      isDefault: source === 'default',
      source,
      isSensitive: false,
    }
  })
}

function brokerEntries(ctx: AdminContext, name: string): ConfigEntry[] {
  if (name !== '' && !(/^\d+$/.test(name) && ctx.cache.isLive(Number(name)))) {
    fail('INVALID_REQUEST', `Unknown broker id ${JSON.stringify(name)}.`)
  }
  return (Object.keys(BROKER_CONFIG_DEFAULTS) as (keyof BrokerConfig)[]).map((key) => {
    const isDefault = ctx.config[key] === BROKER_CONFIG_DEFAULTS[key]
    return {
      name: key,
      value: configValueString(ctx.config[key]),
      readOnly: true,
      isDefault,
      source: isDefault ? 'default' : 'broker-static',
      isSensitive: false,
    }
  })
}

/** Serve IncrementalAlterConfigs. */
export async function incrementalAlterConfigs(
  ctx: AdminContext,
  request: IncrementalAlterConfigsRequest,
): Promise<IncrementalAlterConfigsResponse> {
  const results: AlterResult[] = []
  for (const r of request.resources) {
    try {
      if (r.type !== 'topic') {
        fail(
          'INVALID_REQUEST',
          'Broker configs are static in logkeeper: set them in createCluster({ config }).',
        )
      }
      if (duplicates(r.configs.map((c) => c.name)).size > 0) {
        fail('INVALID_REQUEST', 'Error due to duplicate config keys.')
      }
      if ((await ctx.zk.assignment(r.name)) === null) {
        fail('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${r.name}' does not exist.`)
      }
      const next = { ...(await ctx.zk.topicConfig(r.name)) }
      for (const c of r.configs) {
        if (!(topicConfigNames() as readonly string[]).includes(c.name)) {
          fail('INVALID_CONFIG', `Unknown topic config name: ${c.name}`)
        }
        if (c.op === 'delete') delete next[c.name]
        else if (c.op === 'set') {
          if (c.value === null || c.value === undefined)
            fail('INVALID_CONFIG', `Null value not supported for : ${c.name}`)
          next[c.name] = String(c.value)
        } else fail('INVALID_REQUEST', `Unknown config operation ${JSON.stringify(c.op)}.`)
      }
      parseTopicConfig(next)
      if (!request.validateOnly) await ctx.zk.setTopicConfig(r.name, next)
      results.push({ type: r.type, name: r.name })
    } catch (err) {
      results.push({ type: r.type, name: r.name, ...toResponseError(err) })
    }
  }
  return { results }
}
