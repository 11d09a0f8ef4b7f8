"""The what-if planner and improvement list of a unit (kế hoạch cải thiện): reads only.

Nothing here writes to the database: the planner scores the unit's *final* values (the
scores of record, :class:`~parindex.assessments.models.ItemScore`) with what-if changes
through the engine (:mod:`parindex.engine.whatif`) and shows the result; the values typed
are never stored.

Who plans what (the one place the rule lives; anything else is a 404):

- unit staff and leaders: their own unit, in the periods where it has final scores;
- the chair and observers (and superusers): any unit of the periods they oversee
  (:func:`parindex.assessments.permissions.periods_visible_to`), chosen with ``?don-vi=``;
- a period has final scores when it is finalised or has a published result version.

Where the unit's rank comes from. The unit alone is scored by the engine (its index and
class do not depend on the others); its rank is :class:`~parindex.engine.whatif.Standings`
over the *other* units' indexes of its group, read once per request:

1. from the period's current published version (:class:`ResultRow`, one query) when it
   holds the unit's group: the official ranking the unit is compared with. Drafts are
   not used: a draft may have been computed before the scores were finalised;
2. otherwise from one engine evaluation of the group
   (:func:`~parindex.results.selectors.period_evaluation_input`), kept in the cache for
   :data:`.standings.CACHE_SECONDS` under the period, group binding, set and period
   status. Only finalised periods get here, and their scores cannot change (the
   assessment services refuse), so the cached indexes stay right; a change of status
   changes the key.

The unit's own values are read for the unit only (:func:`.standings.unit_input`, the
same reading as ``period_evaluation_input`` restricted to one assessment), so a what-if
request costs a few small queries and two one-unit evaluations, whatever the size of the group.

Where things live: :mod:`.access` (who plans what), :mod:`.standings` (the unit's final
values and the other units' indexes), :mod:`.form` (the form's inputs and rows),
:mod:`.loading` (the :class:`~.loading.Planner` of one unit), :mod:`.what_if` (scoring the
values typed) and :mod:`.improvements` (the improvement list and its CSV).
"""
