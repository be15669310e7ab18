import { describeGeneratedPackageIndexContract } from '../../../test/contract/generated-package-index-contract.js'
import { openSqliteMetadataStore } from './sqlite-metadata-store.js'

describeGeneratedPackageIndexContract('sqlite', () => openSqliteMetadataStore({ file: ':memory:' }))
