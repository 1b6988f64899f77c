"""Privacy rights: subject access, erasure (anonymisation) and the retention review.

``subject_access`` gathers everything held about one volunteer; ``erasure`` anonymises a
volunteer (keeping shifts and hours as "Former volunteer N") and scrubs the audit trail;
``retention`` lists who and what has been kept longer than the organisation's rules.
"""
