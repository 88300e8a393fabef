export * from './book3sScenario'
export * from './xenScenario'
export * from './scenario'
export * from './problems'
