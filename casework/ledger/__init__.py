"""The ledger (实名台账) and the needs list (需求清单): one row per laborer with every dated record,
and the laborers not in work with their wishes; each exported to xlsx through casework.exports."""
