/**
 * DescribeCluster (key 60), versions 0-1 (flexible; v1 adds EndpointType, KIP-919): the cluster id, the
 * controller id and the live brokers with their endpoint on the listener the request came in on, from
 * the metadata cache (Kafka's AuthHelper.computeDescribeClusterResponse for a broker endpoint).
 *
 * A broker is a BROKER (1) endpoint: asking it for CONTROLLER (2) endpoints is MISMATCHED_ENDPOINT_TYPE
 * and an unknown type UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST in v0). Without an authorizer every
 * CLUSTER operation is allowed, so requested cluster authorized operations are all of them.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import { ALL_CLUSTER_OPERATIONS, AUTHORIZED_OPERATIONS_OMITTED, type BrokerServices } from '../broker-services';

/** Kafka's EndpointType ids. */
const EndpointType = { UNKNOWN: 0, BROKER: 1, CONTROLLER: 2 } as const;

export function describeClusterHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DescribeCluster,
    minVersion: 0,
    maxVersion: 1,
    handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const requested = request.endpointType;
      const failure = (v1Code: number, errorMessage: string) => ({
        throttleTimeMs: 0,
        errorCode: version === 0 ? ErrorCode.INVALID_REQUEST : v1Code,
        errorMessage,
        clusterId: '',
        brokers: [],
      });
      if (requested !== EndpointType.BROKER && requested !== EndpointType.CONTROLLER) {
        return failure(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, `Unsupported endpoint type ${requested}`);
      }
      if (requested !== EndpointType.BROKER) {
        return failure(
          ErrorCode.MISMATCHED_ENDPOINT_TYPE,
          'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
        );
      }
      const cache = broker.metadataCache;
      const brokers = [];
      for (const b of cache.aliveBrokers()) {
        const endpoint = cache.endPoint(b.id, ctx.listenerName);
        if (endpoint) brokers.push({ brokerId: b.id, host: endpoint.host, port: endpoint.port, rack: b.rack });
      }
      // A controller the client cannot find among the brokers would only confuse it.
      const controllerId = brokers.some((b) => b.brokerId === cache.controllerId) ? cache.controllerId : -1;
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        endpointType: EndpointType.BROKER,
        clusterId: broker.clusterId,
        controllerId,
        brokers,
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  });
}
