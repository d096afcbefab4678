// The only import of dcmjs-dimse (DICOM upper layer + DIMSE message coding). Everything else in
// src/dimse uses these re-exports, so a later swap of the network library touches one file.
// The library logs every PDU through loglevel at 'info'; Fovea logs its own structured events.

import * as dimse from 'dcmjs-dimse';

dimse.log.setLevel('silent');

export const { Dataset, Scp, Client } = dimse;
export const { CStoreRequest } = dimse.requests;
export const { CEchoResponse, CFindResponse, CStoreResponse, CMoveResponse, CGetResponse } = dimse.responses;
export const { PresentationContextResult, RejectResult, RejectSource, RejectReason, AbortSource, AbortReason } =
  dimse.constants;
export type DimseDataset = InstanceType<typeof dimse.Dataset>;
export type DimseAssociation = InstanceType<typeof dimse.association.Association>;
export type DimseCStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
export type DimseCFindRequest = InstanceType<typeof dimse.requests.CFindRequest>;
export type DimseCMoveRequest = InstanceType<typeof dimse.requests.CMoveRequest>;
export type DimseCGetRequest = InstanceType<typeof dimse.requests.CGetRequest>;
export type DimseCEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;
export type DimseResponse = InstanceType<typeof dimse.responses.CStoreResponse>;
export type DimsePresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
export { dimse as dimseLibrary };
