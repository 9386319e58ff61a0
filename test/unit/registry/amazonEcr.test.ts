// Which hosts are Amazon ECR (whose chunked uploads keep only the first chunk, so chunks are never sent there).
import * as assert from 'node:assert/strict';
import { isAmazonEcr } from '../../../src/core/registry/amazonEcr';

describe('isAmazonEcr', () => {
  it('knows private ECR in every partition and endpoint form, and ECR Public', () => {
    for (const host of [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      '123456789012.dkr-ecr.eu-west-1.on.aws',
      '123456789012.DKR.ECR.us-east-1.amazonaws.com:443',
      'public.ecr.aws',
    ])
      assert.equal(isAmazonEcr(host), true, host);
  });

  it('leaves other hosts alone, look-alikes included', () => {
    for (const host of [
      'ghcr.io',
      '127.0.0.1:5000',
      '12345.dkr.ecr.us-east-1.amazonaws.com',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example',
      'public.ecr.aws.example',
      'gallery.ecr.aws',
    ])
      assert.equal(isAmazonEcr(host), false, host);
  });
});
